//! Merges the locale files, one per area and language (`locales/<lang>/<area>.json`), into one
//! table per language and side: `<lang>.json` holds what pages show and is compiled into both
//! the server and the browser bundle; `<lang>.server.json` holds what only the server uses
//! (emails), so the wasm never carries it. Two areas may not define the same top-level section.

use std::collections::BTreeMap;
use std::path::Path;

/// Areas whose strings only the server needs.
const SERVER_ONLY: &[&str] = &["mail"];

fn main() {
    // Read at run time, not baked in when the script was compiled: a build script compiled in
    // another checkout (a copied target directory) would otherwise read that checkout's files.
    let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for lang in std::fs::read_dir(&root).expect("app/locales").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()) {
        let code = lang.file_name().unwrap().to_string_lossy().to_string();
        println!("cargo:rerun-if-changed={}", lang.display());
        let (mut shared, mut server) = (serde_json::Map::new(), serde_json::Map::new());
        let mut owner: BTreeMap<String, String> = BTreeMap::new();
        let mut files: Vec<_> = std::fs::read_dir(&lang).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let area = file.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let serde_json::Value::Object(sections) = value else { panic!("{}: not a JSON object", file.display()) };
            let target = if SERVER_ONLY.contains(&area.as_str()) { &mut server } else { &mut shared };
            for (section, body) in sections {
                if let Some(first) = owner.insert(section.clone(), area.clone()) {
                    panic!("{code}: section `{section}` is in both {first}.json and {area}.json");
                }
                target.insert(section, body);
            }
        }
        std::fs::write(out.join(format!("{code}.json")), serde_json::Value::Object(shared).to_string()).unwrap();
        std::fs::write(out.join(format!("{code}.server.json")), serde_json::Value::Object(server).to_string()).unwrap();
    }
}
