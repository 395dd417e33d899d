//! Who the client is, behind a reverse proxy: trusted proxy ranges (`PORTAL_TRUSTED_PROXIES`),
//! the address `X-Forwarded-For` names, and the key throttles count an address under.
//!
//! The header is believed only when the TCP peer is a trusted proxy, and then only its right-most
//! address that is not itself a trusted proxy: everything to the left of that was written by the
//! client (or by proxies we know nothing of) and can say anything.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address range such as `10.0.0.0/8`, `127.0.0.1` (one address) or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(raw: &str) -> Result<Cidr, String> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (raw, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| format!("{raw:?} is not an IP address or range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => return Err(format!("{raw:?}: the prefix length must be 0 to {max}")),
            },
        };
        Ok(Cidr { network: mask(addr, prefix), prefix })
    }

    /// A comma-separated list; empty entries are skipped.
    pub fn parse_list(raw: &str) -> Result<Vec<Cidr>, String> {
        raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(Cidr::parse).collect()
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        addr.is_ipv4() == self.network.is_ipv4() && mask(addr, self.prefix) == self.network
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// `::ffff:1.2.3.4` is the IPv4 address it carries (a dual-stack socket reports IPv4 peers so).
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(addr),
        v4 => v4,
    }
}

/// The address with every bit after the first `prefix` cleared.
fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let bits = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) };
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & bits))
        }
        IpAddr::V6(a) => {
            let bits = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) };
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & bits))
        }
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    raw.parse::<IpAddr>().ok().or_else(|| raw.parse::<std::net::SocketAddr>().ok().map(|s| s.ip())).map(canonical)
}

/// The client's address: the peer itself, unless the peer is a trusted proxy; then the
/// right-most address of `X-Forwarded-For` that is not a trusted proxy. An entry that is not an
/// address ends the walk at the last trusted hop (the header is garbage from there on).
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |a: IpAddr| trusted.iter().any(|c| c.contains(a));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    // Several headers count as one list, in order.
    for hop in forwarded_for.iter().rev().flat_map(|h| h.rsplit(',')) {
        let Some(addr) = parse_hop(hop) else { break };
        client = addr;
        if !is_trusted(addr) {
            break;
        }
    }
    client
}

/// What throttles count an address under: an IPv4 address as it is, an IPv6 address by its /64
/// (one household or server is given a whole /64 and can pick any address in it).
pub fn throttle_key(addr: IpAddr) -> String {
    match canonical(addr) {
        IpAddr::V4(a) => a.to_string(),
        v6 => format!("{}/64", mask(v6, 64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_with_or_without_a_prefix_and_hold_their_addresses() {
        let lan = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(lan.contains(ip("10.1.255.3")));
        assert!(!lan.contains(ip("10.2.0.1")));
        assert_eq!(Cidr::parse("10.1.2.3/16").unwrap().to_string(), "10.1.0.0/16", "host bits are cleared");
        let one = Cidr::parse("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.0.0.1")) && !lan.contains(ip("::1")), "families never mix");
        assert!(Cidr::parse("127.0.0.0/8").unwrap().contains(ip("::ffff:127.0.0.1")), "IPv4-mapped peers count as IPv4");
    }

    #[test]
    fn bad_ranges_are_refused() {
        for bad in ["", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/x", "10.0.0.0/+8", "example.com", "10.0.0.0/8/8"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Cidr::parse_list(" 10.0.0.0/8, ,::1 ").unwrap().len(), 2);
        assert_eq!(Cidr::parse_list("").unwrap(), vec![]);
        assert!(Cidr::parse_list("10.0.0.0/8,nonsense").is_err());
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer_and_only_its_right_most_untrusted_address() {
        let trusted = Cidr::parse_list("127.0.0.1, 10.0.0.0/8").unwrap();
        // Not from a proxy: the header is whatever the client wanted it to be.
        assert_eq!(client_ip(ip("203.0.113.9"), &["1.2.3.4"], &trusted), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["1.2.3.4"], &[]), ip("127.0.0.1"), "nothing trusted by default");
        // From the proxy: the address it saw, even when the client wrote its own entries before.
        assert_eq!(client_ip(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"], &trusted), ip("198.51.100.7"));
        // Through two of our proxies.
        assert_eq!(client_ip(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7, 10.0.0.5"], &trusted), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.7, 10.0.0.5"], &trusted), ip("198.51.100.7"), "several headers");
        // No header, garbage, or only proxies.
        assert_eq!(client_ip(ip("127.0.0.1"), &[], &trusted), ip("127.0.0.1"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["nonsense, 10.0.0.5"], &trusted), ip("10.0.0.5"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["10.0.0.5"], &trusted), ip("10.0.0.5"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["[2001:db8::1]:443"], &trusted), ip("2001:db8::1"));
        assert_eq!(client_ip(ip("127.0.0.1"), &["198.51.100.7:5555"], &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn ipv6_addresses_are_throttled_per_64_and_ipv4_per_address() {
        assert_eq!(throttle_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(throttle_key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")), throttle_key(ip("2001:db8:1:2::1")));
        assert_ne!(throttle_key(ip("2001:db8:1:2::1")), throttle_key(ip("2001:db8:1:3::1")));
        assert_eq!(throttle_key(ip("198.51.100.7")), "198.51.100.7");
        assert_eq!(throttle_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
    }
}
