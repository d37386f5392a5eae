//! Who is on the other end: the client's address and whether it came over HTTPS.
//!
//! The peer is the client, unless the peer is one of `AVTOMEKTEP_TRUSTED_PROXIES`. Then
//! `X-Forwarded-For` is read from the right (each proxy appends the address it saw), trusted
//! hops are skipped, and the first address that is not a trusted proxy is the client: anything
//! further left was written by the client itself and proves nothing. `X-Forwarded-Proto` is
//! believed from a trusted peer only. (`Forwarded` (RFC 7239) is not read.)

use std::net::IpAddr;

use actix_web::{HttpRequest, web};

use crate::state::AppState;

fn trusted(req: &HttpRequest) -> &[ipnet::IpNet] {
    req.app_data::<web::Data<AppState>>().map_or(&[], |s| s.config.trusted_proxies.as_slice())
}

fn is_trusted(proxies: &[ipnet::IpNet], ip: IpAddr) -> bool {
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    let ip = ip.to_canonical();
    proxies.iter().any(|net| net.contains(&ip))
}

/// The client's address, or `None` when the server does not know its peer (only in tests that
/// build a request by hand).
pub fn address(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip().to_canonical();
    let proxies = trusted(req);
    if !is_trusted(proxies, peer) {
        return Some(peer);
    }
    Some(rightmost_untrusted(forwarded_for(req), proxies).unwrap_or(peer))
}

/// The addresses of every `X-Forwarded-For` header, in order (proxies may add a header of
/// their own instead of appending to the last one).
fn forwarded_for(req: &HttpRequest) -> Vec<String> {
    req.headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().to_string())
        .collect()
}

/// Walking from the right: the first hop that is not a trusted proxy. A hop that is not an
/// address ends the walk at the last trusted hop: no trusted proxy writes such a thing.
fn rightmost_untrusted(hops: Vec<String>, proxies: &[ipnet::IpNet]) -> Option<IpAddr> {
    let mut last_trusted = None;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop).map(|ip| ip.to_canonical()) else {
            return last_trusted;
        };
        if !is_trusted(proxies, ip) {
            return Some(ip);
        }
        last_trusted = Some(ip);
    }
    // Every hop is a proxy of ours (a request from inside): the leftmost is where it started.
    last_trusted
}

/// `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or `203.0.113.7:1234`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// The client's address as stored (sign-in history, audit, limits): `unknown` when not known.
pub fn ip_text(req: &HttpRequest) -> String {
    address(req).map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// Whether the visitor came over HTTPS: served over TLS here, or a trusted proxy says so.
pub fn is_https(req: &HttpRequest) -> bool {
    if req.app_config().secure() {
        return true;
    }
    let from_proxy = req.peer_addr().is_some_and(|p| is_trusted(trusted(req), p.ip()));
    from_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            // The nearest proxy's word is the last one.
            .and_then(|v| v.rsplit(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn walk(header: &str, proxies: &[&str]) -> Option<String> {
        let hops = header.split(',').map(|h| h.trim().to_string()).collect();
        rightmost_untrusted(hops, &nets(proxies)).map(|ip| ip.to_string())
    }

    #[test]
    fn the_rightmost_address_that_is_not_a_proxy_is_the_client() {
        let ours = ["10.0.0.0/8", "127.0.0.1/32"];
        assert_eq!(walk("1.2.3.4, 203.0.113.7", &ours).as_deref(), Some("203.0.113.7"));
        assert_eq!(walk("1.2.3.4, 203.0.113.7, 10.0.0.2", &ours).as_deref(), Some("203.0.113.7"));
        assert_eq!(walk("garbage, 203.0.113.7", &ours).as_deref(), Some("203.0.113.7"));
        assert_eq!(walk("[2001:db8::1]:443, 10.0.0.3", &ours).as_deref(), Some("2001:db8::1"));
        // Nothing but our proxies: the request came from inside.
        assert_eq!(walk("10.0.0.9, 10.0.0.2", &ours).as_deref(), Some("10.0.0.9"));
        // A hop no proxy would write: the last trusted hop answers for it.
        assert_eq!(walk("evil, 10.0.0.2", &ours).as_deref(), Some("10.0.0.2"));
        assert_eq!(walk("evil", &ours), None);
    }

    #[test]
    fn a_mapped_ipv4_peer_is_the_same_address() {
        let ip: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert!(is_trusted(&nets(&["127.0.0.1/32"]), ip));
    }
}
