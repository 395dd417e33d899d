//! The script nonce of one response. The server's header middleware makes it, puts it in the
//! request and writes it into the Content-Security-Policy header; the page shell hands it to
//! Leptos, whose hydration and resource scripts then carry the same value.

#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Makes the request's nonce the one Leptos writes into the page's scripts.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(CspNonce(nonce)) = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}
