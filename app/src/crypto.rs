//! Protecting personal identifiers at rest (server only).
//!
//! Two keys are derived from the server's secret key, one per purpose, so that the lookup
//! hash and the ciphertext never share key material:
//! * [`seal`] / [`open`]: XChaCha20-Poly1305 with a random 24-byte nonce; tampering is
//!   detected, not decrypted into garbage.
//! * [`lookup_hash`]: HMAC-SHA-256, so "is this ID already registered?" is one indexed query
//!   and a stolen table cannot be reversed by hashing every possible ID number.

use crate::ssr::SecretKey;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn derive(key: &SecretKey, purpose: &str) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(&key.0).expect("any key length works for HMAC");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Encrypts `plaintext`; the result is base64 of nonce ‖ ciphertext ‖ tag.
pub fn seal(key: &SecretKey, plaintext: &str) -> String {
    let cipher = XChaCha20Poly1305::new(&derive(key, "portal/seal/v1").into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher.encrypt(&nonce, plaintext.as_bytes()).expect("encryption cannot fail for valid keys");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ciphertext);
    B64.encode(out)
}

/// Decrypts what [`seal`] produced; `None` when it was altered or sealed under another key.
pub fn open(key: &SecretKey, sealed: &str) -> Option<String> {
    let bytes = B64.decode(sealed).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(&derive(key, "portal/seal/v1").into());
    let plain = cipher.decrypt(XNonce::from_slice(nonce), ciphertext).ok()?;
    String::from_utf8(plain).ok()
}

/// A keyed hash for equality lookups (hex).
pub fn lookup_hash(key: &SecretKey, value: &str) -> String {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(&derive(key, "portal/lookup/v1")).expect("HMAC key");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: SecretKey = SecretKey([7u8; 32]);

    #[test]
    fn sealed_text_opens_with_the_same_key_only() {
        let sealed = seal(&KEY, "51110220030715123X");
        assert!(!sealed.contains("511102"));
        assert_eq!(open(&KEY, &sealed).as_deref(), Some("51110220030715123X"));
        assert_eq!(open(&SecretKey([8u8; 32]), &sealed), None);
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts_and_tampering_is_detected() {
        let (a, b) = (seal(&KEY, "same"), seal(&KEY, "same"));
        assert_ne!(a, b, "a fresh nonce each time");
        let mut bytes = B64.decode(&a).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert_eq!(open(&KEY, &B64.encode(bytes)), None);
        assert_eq!(open(&KEY, "not base64!"), None);
    }

    #[test]
    fn the_lookup_hash_is_stable_per_key_and_differs_between_keys() {
        assert_eq!(lookup_hash(&KEY, "x"), lookup_hash(&KEY, "x"));
        assert_ne!(lookup_hash(&KEY, "x"), lookup_hash(&KEY, "y"));
        assert_ne!(lookup_hash(&KEY, "x"), lookup_hash(&SecretKey([8u8; 32]), "x"));
    }
}
