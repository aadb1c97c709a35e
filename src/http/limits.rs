//! Per-client rate limits on checks and uploads.
//!
//! Each kind of request has a bucket per client (GCRA, from the `governor` crate): a client may
//! send `burst` at once, then `per_minute` a minute; beyond that it gets 429 `rate_limited` with
//! `Retry-After`, before its body is read. A client is its IP address, an IPv6 client its /64
//! (one host gets a whole /64, so keying on the address would give it 2^64 buckets). Behind a
//! proxy every request comes from the proxy: the operator names its address ranges
//! (`trusted_proxies`), and for a request from one of them the client is the rightmost address
//! in `X-Forwarded-For` that is not itself a trusted proxy. A forwarded header from anyone else
//! is ignored, so that a client cannot choose its own bucket.
//!
//! Buckets of clients that have been quiet long enough to be full again are dropped once a
//! minute, so the memory the buckets take follows the clients active in the last minute.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::{ApiError, AppState};

/// A rate: `burst` requests at once, refilled at `per_minute` a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests a minute, once the burst is spent.
    pub per_minute: NonZeroU32,
    /// Requests a quiet client may send at once.
    pub burst: NonZeroU32,
}

impl Rate {
    /// `per_minute` a minute with bursts of `burst`; `None` (no limit) if either is 0.
    pub fn new(per_minute: u32, burst: u32) -> Option<Self> {
        Some(Self {
            per_minute: NonZeroU32::new(per_minute)?,
            burst: NonZeroU32::new(burst)?,
        })
    }

    fn quota(self) -> Quota {
        // One request every 60/per_minute seconds; at least a nanosecond.
        let period = Duration::from_secs(60)
            .checked_div(self.per_minute.get())
            .unwrap_or(Duration::from_nanos(1))
            .max(Duration::from_nanos(1));
        Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(self.burst)
    }
}

/// The rate limits of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Contact and message checks, per client; `None` for no limit.
    pub checks: Option<Rate>,
    /// Agreement uploads, per client; `None` for no limit.
    pub uploads: Option<Rate>,
    /// The proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl RateLimits {
    /// No limits (tests and benchmarks that drive the service from one address).
    pub fn off() -> Self {
        Self {
            checks: None,
            uploads: None,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for RateLimits {
    /// 600 checks a minute with bursts of 120, 20 uploads a minute with bursts of 5: far more
    /// than a person checking a counterparty, a page's widget or an integration checking as it
    /// goes; a crawler or a flood is slowed to that.
    fn default() -> Self {
        Self {
            checks: Rate::new(DEFAULT_CHECKS_PER_MINUTE, DEFAULT_CHECKS_BURST),
            uploads: Rate::new(DEFAULT_UPLOADS_PER_MINUTE, DEFAULT_UPLOADS_BURST),
            trusted_proxies: Vec::new(),
        }
    }
}

/// Default checks a minute per client.
pub const DEFAULT_CHECKS_PER_MINUTE: u32 = 600;
/// Default burst of checks per client.
pub const DEFAULT_CHECKS_BURST: u32 = 120;
/// Default agreement uploads a minute per client.
pub const DEFAULT_UPLOADS_PER_MINUTE: u32 = 20;
/// Default burst of uploads per client.
pub const DEFAULT_UPLOADS_BURST: u32 = 5;

/// Who a client is, for its bucket: an IPv4 address or an IPv6 /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Client {
    V4(u32),
    V6(u64),
}

impl From<IpAddr> for Client {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(u32::from(v4)),
                None => Self::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// The kind of request a bucket counts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// Contact and message checks.
    Check,
    /// Agreement uploads.
    Upload,
}

/// The buckets.
pub(crate) struct Limiters {
    checks: Option<DefaultKeyedRateLimiter<Client>>,
    uploads: Option<DefaultKeyedRateLimiter<Client>>,
    trusted: Vec<ipnet::IpNet>,
    clock: DefaultClock,
}

impl Limiters {
    /// The buckets of `limits`.
    pub(crate) fn new(limits: &RateLimits) -> Self {
        Self {
            checks: limits
                .checks
                .map(|rate| DefaultKeyedRateLimiter::keyed(rate.quota())),
            uploads: limits
                .uploads
                .map(|rate| DefaultKeyedRateLimiter::keyed(rate.quota())),
            trusted: limits.trusted_proxies.clone(),
            clock: DefaultClock::default(),
        }
    }

    /// Counts a request of `kind` from the client at `peer` (through `headers`), or refuses it.
    pub(crate) fn admit(
        &self,
        kind: Kind,
        peer: Option<SocketAddr>,
        headers: &HeaderMap,
    ) -> Result<(), ApiError> {
        let limiter = match kind {
            Kind::Check => &self.checks,
            Kind::Upload => &self.uploads,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        // A request with no peer address (not over TCP) has no bucket of its own; it shares one.
        let client = self
            .client(peer, headers)
            .map_or(Client::V4(0), Client::from);
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            // Whole seconds, rounded up: a client that waits as told is admitted.
            ApiError::RateLimited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        })
    }

    /// The client's address: the peer's, or, for a trusted proxy, the rightmost forwarded
    /// address that is not a trusted proxy.
    fn client(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?.ip();
        if !self.trusts(peer) {
            return Some(peer);
        }
        let mut client = peer;
        // Several headers are one list, in order; the rightmost entries are the nearest hops.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                // What a trusted proxy did not write cannot be read further.
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        Some(client)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            IpAddr::V4(_) => ip,
        };
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// Drops the buckets of clients quiet long enough to be full again.
    pub(crate) fn forget_quiet(&self) {
        for limiter in [&self.checks, &self.uploads].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Middleware: refuses a request of `kind` over its client's rate before the handler reads it.
pub(crate) async fn limit(
    kind: Kind,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        state.limits.admit(kind, req.peer_addr(), req.headers())?;
    }
    next.call(req).await
}

/// Forgets quiet clients once a minute, for as long as the service runs.
pub(crate) fn spawn_forgetting(state: std::sync::Arc<AppState>) {
    let weak = std::sync::Arc::downgrade(&state);
    drop(state);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        every.tick().await;
        loop {
            every.tick().await;
            let Some(state) = weak.upgrade() else {
                return;
            };
            state.limits.forget_quiet();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn limits(trusted: &[&str]) -> Limiters {
        Limiters::new(&RateLimits {
            checks: Rate::new(1, 2),
            uploads: None,
            trusted_proxies: trusted.iter().map(|n| n.parse().expect("net")).collect(),
        })
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(
                HeaderName::from_static("x-forwarded-for"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        headers
    }

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().expect("ip"), 4000))
    }

    #[test]
    fn a_burst_is_admitted_then_refused_with_a_wait_in_whole_seconds() {
        let limits = limits(&[]);
        let none = HeaderMap::new();
        for _ in 0..2 {
            assert!(limits.admit(Kind::Check, peer("192.0.2.1"), &none).is_ok());
        }
        match limits.admit(Kind::Check, peer("192.0.2.1"), &none) {
            Err(ApiError::RateLimited(seconds)) => assert!((1..=60).contains(&seconds)),
            other => panic!("{other:?}"),
        }
        // Another client has a bucket of its own; uploads have no limit here.
        assert!(limits.admit(Kind::Check, peer("192.0.2.2"), &none).is_ok());
        for _ in 0..10 {
            assert!(limits.admit(Kind::Upload, peer("192.0.2.1"), &none).is_ok());
        }
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_a_mapped_ipv4_its_address() {
        let limits = limits(&[]);
        let none = HeaderMap::new();
        assert!(
            limits
                .admit(Kind::Check, peer("2001:db8::1"), &none)
                .is_ok()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("2001:db8::ffff:2"), &none)
                .is_ok()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("2001:db8::3"), &none)
                .is_err()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("2001:db8:0:1::1"), &none)
                .is_ok()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("198.51.100.7"), &none)
                .is_ok()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("::ffff:198.51.100.7"), &none)
                .is_ok()
        );
        assert!(
            limits
                .admit(Kind::Check, peer("198.51.100.7"), &none)
                .is_err()
        );
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies_and_from_the_right() {
        let limits = limits(&["10.0.0.0/8"]);
        let ip = |s: &str| Some(s.parse::<IpAddr>().expect("ip"));
        // From a stranger, the header is the stranger's own claim: ignored.
        let claim = forwarded(&["203.0.113.9"]);
        assert_eq!(
            limits.client(peer("198.51.100.1"), &claim),
            ip("198.51.100.1")
        );
        // From the proxy: the rightmost address it did not add itself.
        let chain = forwarded(&["203.0.113.9, 198.51.100.5", "10.1.2.3"]);
        assert_eq!(limits.client(peer("10.0.0.1"), &chain), ip("198.51.100.5"));
        // A client that forges the left part cannot move off its own address.
        let forged = forwarded(&["1.2.3.4, 198.51.100.5"]);
        assert_eq!(limits.client(peer("10.0.0.1"), &forged), ip("198.51.100.5"));
        // Garbage stops the walk at the last address read.
        let garbage = forwarded(&["198.51.100.5, not-an-ip, 10.9.9.9"]);
        assert_eq!(limits.client(peer("10.0.0.1"), &garbage), ip("10.9.9.9"));
        // No header: the proxy itself.
        assert_eq!(
            limits.client(peer("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn quiet_clients_are_forgotten() {
        let limits = Limiters::new(&RateLimits {
            checks: Rate::new(60_000_000, 1),
            uploads: None,
            trusted_proxies: Vec::new(),
        });
        let none = HeaderMap::new();
        for i in 0..100u8 {
            let _ = limits.admit(Kind::Check, peer(&format!("192.0.2.{i}")), &none);
        }
        std::thread::sleep(Duration::from_millis(5));
        limits.forget_quiet();
        assert_eq!(limits.checks.as_ref().map(|l| l.len()), Some(0));
    }
}
