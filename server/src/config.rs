//! Typed configuration: defaults, then an optional `.env` file, then the environment.
//! Secrets are `SecretString`s: they print as `[REDACTED]` and never reach a log line.

use anyhow::{bail, Context};
use app::db::Dialect;
use app::shared::proxy::Cidr;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; picks the database and its migrations.
    pub database_url: String,
    /// What the URL names, decided once here and handed to everything that differs.
    pub dialect: Dialect,
    /// Database file (by default), uploads, mail files and the generated secret key.
    pub data_dir: PathBuf,
    pub site_addr: SocketAddr,
    /// Public address used in email links.
    pub base_url: String,
    /// The built site (`target/site`): wasm, JS, CSS and public assets.
    pub site_root: PathBuf,
    /// The content hashes of the built bundle (`hash.txt`, which cargo-leptos writes beside the
    /// server binary; `LEPTOS_HASH_FILE_NAME` names another file, relative to the binary's folder
    /// or absolute), when the build wrote one.
    pub hash_file: Option<PathBuf>,
    pub smtp: Option<SmtpConfig>,
    pub mail_from: String,
    /// How often the mail worker looks for due messages.
    pub mail_poll: Duration,
    /// Set cookies with `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// A sign-in lasts at most this long, however active the session is (besides the idle
    /// expiry): a stolen or forgotten session cookie does not live for ever.
    pub session_max_age: Duration,
    /// Reverse proxies (`PORTAL_TRUSTED_PROXIES`, comma-separated CIDRs, none by default) whose
    /// `X-Forwarded-For` names the client for throttling and the audit log.
    pub trusted_proxies: Vec<Cidr>,
    /// Who may read `GET /metrics` (`PORTAL_METRICS_ALLOW`, comma-separated CIDRs; loopback by
    /// default). Everyone else gets 404.
    pub metrics_allow: Vec<Cidr>,
    pub log_json: bool,
}

#[derive(Clone, Debug)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    pub tls: SmtpTls,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same host or a test listener).
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn hash_file(name: &str) -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(name);
    path.is_file().then_some(path)
}

impl Config {
    /// Reads `.env` if there is one, then the environment.
    pub fn from_env() -> anyhow::Result<Config> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(var)
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(get("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("portal.db").display()));
        let Some(dialect) = Dialect::from_url(&database_url) else {
            bail!("DATABASE_URL must start with sqlite:// or postgres://");
        };
        let site_addr: SocketAddr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("LEPTOS_SITE_ADDR must look like 127.0.0.1:3000")?;
        let base_url = get("PORTAL_BASE_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let base_url = base_url.trim_end_matches('/').to_string();
        if crate::origin::OwnOrigin::of_base_url(&base_url).is_none() {
            bail!("PORTAL_BASE_URL must be an absolute http:// or https:// address, not {base_url:?}");
        }
        let smtp = match get("SMTP_HOST") {
            None => None,
            Some(host) => {
                let tls = match get("SMTP_TLS").as_deref().unwrap_or("starttls") {
                    "none" => SmtpTls::None,
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Tls,
                    other => bail!("SMTP_TLS must be none, starttls or tls, not {other:?}"),
                };
                let default_port = match tls {
                    SmtpTls::None => 25,
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                };
                let port = match get("SMTP_PORT") {
                    Some(p) => p.parse().context("SMTP_PORT must be a port number")?,
                    None => default_port,
                };
                Some(SmtpConfig {
                    host,
                    port,
                    username: get("SMTP_USERNAME"),
                    password: get("SMTP_PASSWORD").map(SecretString::from),
                    tls,
                })
            }
        };
        let session_max_days: u64 = get("PORTAL_SESSION_MAX_DAYS")
            .map(|v| v.parse())
            .transpose()
            .context("PORTAL_SESSION_MAX_DAYS must be a whole number of days")?
            .unwrap_or(30);
        if session_max_days == 0 {
            bail!("PORTAL_SESSION_MAX_DAYS must be at least 1");
        }
        let trusted_proxies = Cidr::parse_list(&get("PORTAL_TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("PORTAL_TRUSTED_PROXIES must be comma-separated addresses or ranges like 10.0.0.0/8: {e}"))?;
        let metrics_allow = Cidr::parse_list(&get("PORTAL_METRICS_ALLOW").unwrap_or_else(|| "127.0.0.1, ::1".into()))
            .map_err(|e| anyhow::anyhow!("PORTAL_METRICS_ALLOW must be comma-separated addresses or ranges like 10.0.0.0/8: {e}"))?;
        let mail_poll_ms: u64 = get("PORTAL_MAIL_POLL_MS").map(|v| v.parse()).transpose().context("PORTAL_MAIL_POLL_MS must be a number")?.unwrap_or(2000);
        Ok(Config {
            secure_cookies: base_url.starts_with("https://"),
            session_max_age: Duration::from_secs(session_max_days * 24 * 3600),
            database_url,
            dialect,
            site_root: PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into())),
            hash_file: hash_file(&get("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|| "hash.txt".into())),
            data_dir,
            site_addr,
            base_url,
            smtp,
            mail_from: get("PORTAL_MAIL_FROM").unwrap_or_else(|| "乐山就业服务 <no-reply@localhost>".into()),
            mail_poll: Duration::from_millis(mail_poll_ms.max(50)),
            trusted_proxies,
            metrics_allow,
            log_json: get("PORTAL_LOG_FORMAT").as_deref() == Some("json"),
        })
    }

}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn with_nothing_set_the_portal_uses_sqlite_under_data_on_port_3000() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/portal.db");
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert!(c.smtp.is_none());
        assert!(!c.secure_cookies);
        assert_eq!(c.session_max_age, Duration::from_secs(30 * 24 * 3600));
    }

    #[test]
    fn the_session_lifetime_is_set_in_whole_days() {
        let c = config(&[("PORTAL_SESSION_MAX_DAYS", "7")]).unwrap();
        assert_eq!(c.session_max_age, Duration::from_secs(7 * 24 * 3600));
        for bad in ["0", "-1", "a week"] {
            let e = format!("{:#}", config(&[("PORTAL_SESSION_MAX_DAYS", bad)]).unwrap_err());
            assert!(e.contains("PORTAL_SESSION_MAX_DAYS"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_https_base_url_makes_cookies_secure() {
        let c = config(&[("PORTAL_BASE_URL", "https://jobs.example.cn/")]).unwrap();
        assert!(c.secure_cookies);
        assert_eq!(c.base_url, "https://jobs.example.cn");
    }

    #[test]
    fn smtp_defaults_follow_the_tls_mode() {
        let c = config(&[("SMTP_HOST", "mail.example.cn")]).unwrap();
        let smtp = c.smtp.unwrap();
        assert_eq!((smtp.port, smtp.tls), (587, SmtpTls::StartTls));
        let c = config(&[("SMTP_HOST", "127.0.0.1"), ("SMTP_TLS", "none"), ("SMTP_PORT", "2525")]).unwrap();
        assert_eq!(c.smtp.unwrap().port, 2525);
    }

    #[test]
    fn bad_values_are_refused_with_the_variable_named() {
        let e = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().to_string();
        assert!(e.contains("DATABASE_URL"));
        let e = config(&[("SMTP_HOST", "x"), ("SMTP_TLS", "maybe")]).unwrap_err().to_string();
        assert!(e.contains("SMTP_TLS"));
        let e = format!("{:#}", config(&[("LEPTOS_SITE_ADDR", "nowhere")]).unwrap_err());
        assert!(e.contains("LEPTOS_SITE_ADDR"));
        let e = config(&[("PORTAL_BASE_URL", "jobs.example.cn")]).unwrap_err().to_string();
        assert!(e.contains("PORTAL_BASE_URL"));
    }

    #[test]
    fn trusted_proxies_are_a_list_of_ranges_and_none_by_default() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let c = config(&[("PORTAL_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,fd00::/8")]).unwrap();
        assert_eq!(c.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>(), ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8"]);
        let e = config(&[("PORTAL_TRUSTED_PROXIES", "10.0.0.0/99")]).unwrap_err().to_string();
        assert!(e.contains("PORTAL_TRUSTED_PROXIES"), "{e}");
    }

    #[test]
    fn metrics_are_readable_from_loopback_only_unless_configured() {
        let shown = |c: &Config| c.metrics_allow.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown(&config(&[]).unwrap()), ["127.0.0.1/32", "::1/128"]);
        assert_eq!(shown(&config(&[("PORTAL_METRICS_ALLOW", "10.9.0.0/16")]).unwrap()), ["10.9.0.0/16"]);
        let e = config(&[("PORTAL_METRICS_ALLOW", "prometheus.local")]).unwrap_err().to_string();
        assert!(e.contains("PORTAL_METRICS_ALLOW"), "{e}");
    }

    #[test]
    fn the_smtp_password_never_shows_in_debug_output() {
        let c = config(&[("SMTP_HOST", "x"), ("SMTP_PASSWORD", "hunter2-secret")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2-secret"));
    }
}
