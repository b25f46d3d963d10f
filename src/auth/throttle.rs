//! Slows down password guessing: too many failures for one login or one client address
//! lock further attempts out for a while.
//!
//! Live CoCart has no such limit; cartd adds it because every request may carry a
//! password. Counts live in memory only (a restart forgets them), under a mutex, keyed by
//! the lower-cased login and by the client address (IPv6 by its /64, the block one client
//! usually holds). A login that names nobody is counted like any other, so a lockout never
//! tells whether an account exists. Expired entries are pruned as the map grows.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use super::error::AuthError;

/// Entries tracked before expired ones are pruned.
const PRUNE_ABOVE: usize = 4096;
/// Hard cap on tracked entries; past it the oldest windows are forgotten first.
const MAX_TRACKED: usize = 100_000;

/// Who a failure is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A login name as resolved from the credentials.
    Login(String),
    /// An API key, by its lookup digest.
    ApiKey(String),
    /// A client address.
    Address(IpAddr),
}

impl Subject {
    /// A login subject; case does not split the count (logins match case-insensitively).
    pub fn login(name: &str) -> Subject {
        Subject::Login(name.to_lowercase())
    }

    /// An address subject. IPv4-mapped IPv6 counts as IPv4; other IPv6 addresses count
    /// by their /64 network.
    pub fn address(addr: IpAddr) -> Subject {
        let normalised = match addr {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mut segments = v6.segments();
                    segments[4..].fill(0);
                    IpAddr::from(segments)
                }
            },
            v4 => v4,
        };
        Subject::Address(normalised)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    window_start: u64,
    locked_until: u64,
}

/// Failed-attempt counters with lockout. Shared by all requests (it is `Sync`).
#[derive(Debug)]
pub struct Throttle {
    max_failures: u32,
    lockout_secs: u64,
    entries: Mutex<HashMap<Subject, Entry>>,
}

impl Throttle {
    /// `max_failures` failures within `lockout_secs` lock a subject out for `lockout_secs`
    /// (config `[auth]`). `max_failures = 0` turns throttling off.
    pub fn new(max_failures: u32, lockout_secs: u64) -> Throttle {
        Throttle {
            max_failures,
            lockout_secs,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Refuses with 429 when any of `subjects` is locked out at `now` (Unix seconds);
    /// `retry_after` is the longest remaining lockout.
    pub fn check(&self, subjects: &[Subject], now: u64) -> Result<(), AuthError> {
        if self.max_failures == 0 {
            return Ok(());
        }
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = subjects
            .iter()
            .filter_map(|subject| entries.get(subject))
            .map(|entry| entry.locked_until.saturating_sub(now))
            .max()
            .unwrap_or(0);
        if wait > 0 {
            Err(AuthError::too_many_attempts(wait))
        } else {
            Ok(())
        }
    }

    /// Counts one failure against each of `subjects` at `now`.
    pub fn record_failure(&self, subjects: &[Subject], now: u64) {
        if self.max_failures == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() > PRUNE_ABOVE {
            self.prune(&mut entries, now);
        }
        for subject in subjects {
            let entry = entries.entry(subject.clone()).or_insert(Entry {
                failures: 0,
                window_start: now,
                locked_until: 0,
            });
            if now < entry.locked_until {
                continue;
            }
            if now >= entry.window_start.saturating_add(self.lockout_secs) {
                entry.failures = 0;
                entry.window_start = now;
            }
            entry.failures += 1;
            if entry.failures >= self.max_failures {
                entry.failures = 0;
                entry.locked_until = now.saturating_add(self.lockout_secs);
            }
        }
    }

    /// Forgets the failures of a login that just authenticated. Address counts are kept:
    /// one valid account must not reset an address that is guessing others.
    pub fn record_success(&self, login: &Subject) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.remove(login);
    }

    /// Drops entries whose window and lockout are over; if the map is still at the cap,
    /// drops the oldest windows.
    fn prune(&self, entries: &mut HashMap<Subject, Entry>, now: u64) {
        let lockout_secs = self.lockout_secs;
        entries.retain(|_, entry| {
            now < entry.locked_until || now < entry.window_start.saturating_add(lockout_secs)
        });
        if entries.len() >= MAX_TRACKED {
            let mut starts: Vec<u64> = entries.values().map(|e| e.window_start).collect();
            let cut_index = starts.len() / 10;
            let (_, cut, _) = starts.select_nth_unstable(cut_index);
            let cut = *cut;
            entries.retain(|_, entry| entry.window_start > cut || now < entry.locked_until);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_795_315_455;

    fn fail(throttle: &Throttle, subjects: &[Subject], times: u32, now: u64) {
        for _ in 0..times {
            throttle.record_failure(subjects, now);
        }
    }

    #[test]
    fn locks_after_max_failures_and_releases_after_lockout() {
        let throttle = Throttle::new(3, 300);
        let user = [Subject::login("Ann")];
        fail(&throttle, &user, 2, T0);
        assert!(throttle.check(&user, T0).is_ok());
        throttle.record_failure(&user, T0 + 10);
        let err = throttle.check(&user, T0 + 10).unwrap_err();
        assert_eq!((err.status, err.retry_after), (429, Some(300)));
        assert_eq!(
            throttle.check(&user, T0 + 250).unwrap_err().retry_after,
            Some(60)
        );
        assert!(throttle.check(&user, T0 + 310).is_ok());
    }

    #[test]
    fn login_case_does_not_split_the_count() {
        let throttle = Throttle::new(2, 60);
        throttle.record_failure(&[Subject::login("ANN")], T0);
        throttle.record_failure(&[Subject::login("ann")], T0);
        assert!(throttle.check(&[Subject::login("Ann")], T0).is_err());
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let throttle = Throttle::new(2, 60);
        let user = [Subject::login("ann")];
        throttle.record_failure(&user, T0);
        throttle.record_failure(&user, T0 + 61);
        assert!(throttle.check(&user, T0 + 61).is_ok());
        throttle.record_failure(&user, T0 + 62);
        assert!(throttle.check(&user, T0 + 62).is_err());
    }

    #[test]
    fn address_is_counted_across_logins_and_ipv6_by_64() {
        let throttle = Throttle::new(2, 60);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_net: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        throttle.record_failure(&[Subject::login("ann"), Subject::address(a)], T0);
        throttle.record_failure(&[Subject::login("bob"), Subject::address(b)], T0);
        assert!(throttle.check(&[Subject::address(a)], T0).is_err());
        assert!(throttle.check(&[Subject::address(other_net)], T0).is_ok());
        assert!(throttle.check(&[Subject::login("ann")], T0).is_ok());
    }

    #[test]
    fn ipv4_mapped_counts_as_ipv4() {
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        let plain: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(Subject::address(mapped), Subject::address(plain));
    }

    #[test]
    fn success_clears_the_login_but_not_the_address() {
        let throttle = Throttle::new(2, 60);
        let addr = Subject::address("192.0.2.1".parse().unwrap());
        let ann = Subject::login("ann");
        throttle.record_failure(&[ann.clone(), addr.clone()], T0);
        throttle.record_success(&ann);
        throttle.record_failure(&[ann.clone(), addr.clone()], T0);
        assert!(throttle.check(std::slice::from_ref(&ann), T0).is_ok());
        assert!(throttle.check(&[addr], T0).is_err());
    }

    #[test]
    fn zero_max_failures_disables_throttling() {
        let throttle = Throttle::new(0, 60);
        let user = [Subject::login("ann")];
        fail(&throttle, &user, 50, T0);
        assert!(throttle.check(&user, T0).is_ok());
        assert_eq!(throttle.tracked(), 0);
    }

    #[test]
    fn expired_entries_are_pruned() {
        let throttle = Throttle::new(5, 60);
        for n in 0..=PRUNE_ABOVE {
            throttle.record_failure(&[Subject::login(&format!("user{n}"))], T0);
        }
        assert_eq!(throttle.tracked(), PRUNE_ABOVE + 1);
        throttle.record_failure(&[Subject::login("late")], T0 + 61);
        assert_eq!(throttle.tracked(), 1);
    }
}
