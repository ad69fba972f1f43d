//! Per-provider circuit breaker: a pure state machine driven by injected instants.

use std::time::{Duration, Instant};

use super::types::BreakerState;

/// Breaker state for one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Breaker {
    threshold: u32,
    cooldown: Duration,
    consecutive_failures: u32,
    /// When the breaker opened (set while open or half-open).
    opened_at: Option<Instant>,
    /// A half-open probe is under way; others are refused until it reports.
    probing: bool,
    pub(crate) last_error: Option<&'static str>,
}

/// What [`Breaker::try_acquire`] granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Normal request.
    Closed,
    /// The single half-open probe.
    Probe,
}

impl Breaker {
    pub(crate) fn new(threshold: u32, cooldown: Duration) -> Self {
        Breaker {
            threshold: threshold.max(1),
            cooldown,
            consecutive_failures: 0,
            opened_at: None,
            probing: false,
            last_error: None,
        }
    }

    /// The state as seen at `now`.
    pub(crate) fn state(&self, now: Instant) -> BreakerState {
        match self.opened_at {
            None => BreakerState::Closed,
            Some(at) if now.saturating_duration_since(at) >= self.cooldown => {
                BreakerState::HalfOpen
            }
            Some(_) => BreakerState::Open,
        }
    }

    /// Whether a request may be admitted at `now` without taking the probe slot.
    pub(crate) fn is_available(&self, now: Instant) -> bool {
        match self.state(now) {
            BreakerState::Closed => true,
            BreakerState::HalfOpen => !self.probing,
            BreakerState::Open => false,
        }
    }

    /// Admits a request, or refuses while open (or while another probe is running).
    pub(crate) fn try_acquire(&mut self, now: Instant) -> Option<Admission> {
        match self.state(now) {
            BreakerState::Closed => Some(Admission::Closed),
            BreakerState::HalfOpen if !self.probing => {
                self.probing = true;
                Some(Admission::Probe)
            }
            _ => None,
        }
    }

    /// A request succeeded: the breaker closes.
    pub(crate) fn on_success(&mut self) {
        self.consecutive_failures = 0;
        self.opened_at = None;
        self.probing = false;
    }

    /// A request failed at `now`; returns whether the breaker is (now) open.
    pub(crate) fn on_failure(&mut self, now: Instant, kind: &'static str) -> bool {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.last_error = Some(kind);
        let was_probe = self.probing;
        self.probing = false;
        if was_probe || self.consecutive_failures >= self.threshold {
            // A failed probe restarts the cooldown.
            self.opened_at = Some(now);
        }
        self.opened_at.is_some()
    }

    /// A request ended without a verdict (the caller went away, or the failure was the
    /// caller's fault): frees the probe slot, changes nothing else.
    pub(crate) fn on_neutral(&mut self) {
        self.probing = false;
    }

    pub(crate) fn consecutive_failures(&self) -> u32 {
        self.consecutive_failures
    }
}
