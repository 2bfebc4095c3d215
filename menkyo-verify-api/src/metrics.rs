//! Prometheus counters. Labels are endpoint, status and verdict: never card data.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counters of the service.
#[derive(Debug, Default)]
pub struct Metrics {
    verdict_valid: AtomicU64,
    verdict_invalid: AtomicU64,
    verdict_incomplete: AtomicU64,
    problems: AtomicU64,
    challenges: AtomicU64,
    verification_micros: AtomicU64,
    /// The last `/readyz` answer was "not ready".
    unready: AtomicBool,
}

impl Metrics {
    pub(crate) fn verdict(&self, verdict: menkyo_core::Verdict, micros: u64) {
        let c = match verdict {
            menkyo_core::Verdict::Valid => &self.verdict_valid,
            menkyo_core::Verdict::Invalid => &self.verdict_invalid,
            menkyo_core::Verdict::Incomplete => &self.verdict_incomplete,
        };
        c.fetch_add(1, Ordering::Relaxed);
        self.verification_micros.fetch_add(micros, Ordering::Relaxed);
    }

    pub(crate) fn problem(&self) {
        self.problems.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a `/readyz` answer; true when it differs from the last one (the service logs
    /// only such changes: anyone may ask `/readyz`, as often as they like).
    pub(crate) fn readiness_changed(&self, ready: bool) -> bool {
        self.unready.swap(!ready, Ordering::Relaxed) == ready
    }

    pub(crate) fn challenge(&self) {
        self.challenges.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut s = String::new();
        let _ = writeln!(s, "# HELP menkyo_verifications_total Verifications by verdict.");
        let _ = writeln!(s, "# TYPE menkyo_verifications_total counter");
        for (v, a) in [
            ("valid", &self.verdict_valid),
            ("invalid", &self.verdict_invalid),
            ("incomplete", &self.verdict_incomplete),
        ] {
            let _ = writeln!(s, "menkyo_verifications_total{{verdict=\"{v}\"}} {}", g(a));
        }
        let _ = writeln!(s, "# HELP menkyo_verification_seconds_total Time spent verifying.");
        let _ = writeln!(s, "# TYPE menkyo_verification_seconds_total counter");
        let micros = g(&self.verification_micros);
        let _ = writeln!(s, "menkyo_verification_seconds_total {}.{:06}", micros / 1_000_000, micros % 1_000_000);
        let _ = writeln!(s, "# HELP menkyo_problems_total Requests answered with a problem document.");
        let _ = writeln!(s, "# TYPE menkyo_problems_total counter");
        let _ = writeln!(s, "menkyo_problems_total {}", g(&self.problems));
        let _ = writeln!(s, "# HELP menkyo_challenges_total Challenges issued.");
        let _ = writeln!(s, "# TYPE menkyo_challenges_total counter");
        let _ = writeln!(s, "menkyo_challenges_total {}", g(&self.challenges));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a change of `/readyz`'s answer is reported (and so logged), starting from ready.
    #[test]
    fn readiness_changes_are_reported_once() {
        let m = Metrics::default();
        assert!(!m.readiness_changed(true));
        assert!(m.readiness_changed(false));
        assert!(!m.readiness_changed(false));
        assert!(!m.readiness_changed(false));
        assert!(m.readiness_changed(true));
        assert!(!m.readiness_changed(true));
    }
}
