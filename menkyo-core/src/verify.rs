//! Verification of a submission: every check in one place, no opt-outs, time as an argument.
//! This is the only place that decides a verdict and its limits; callers read the report.
//!
//! ```text
//! licence.parse               WEF02 and WEF03 decode
//! licence.signature           WEF03 0108 over WEF02 (the TLV items, else the whole EF) by the
//!                             signer whose key identifier is WEF03 010D
//! licence.signer_certificate  that signer's chain to a self-signed root in the store
//! licence.expiry              C5: valid through the end of that day, Japan time
//! kenhojo.parse               EF 0002, 0003, 0004 (and 0007) decode
//! kenhojo.certificate         EF 0004 by the CA key its issuer key id names
//! kenhojo.signature           DF33 over DF31 TLV || DF32 TLV by the EF 0004 key
//! kenhojo.digest              DF32 = SHA-256 of EF 0002's basic four
//! freshness.card_key          EF 0007 DF52 over DF51 by the EF 0004 key
//! freshness.signature         the challenge signed by the EF 0007 key, the challenge issued
//!                             by this verifier (its ledger), unexpired and unused
//! kenkaku.parse               kenkaku EF 0001 (age record) and EF 0004 decode
//! kenkaku.certificate         kenkaku EF 0004 by the kenkaku CA key its issuer key id names
//! kenkaku.signature           DF13 over DF11 TLV || DF12 TLV by the EF 0004 key
//! freshness.kenkaku           the challenge signed by DF12 (the card's key in the age record)
//! ```

mod ic_licence;
mod kenhojo;
mod kenkaku;
mod licence;

use crate::check::{Check, CheckId, Status};
use crate::date::Date;
use crate::kenhojo::BasicFour;
use crate::ledger::{ChallengeLedger, ChallengeStatus, LedgerError};
use crate::licence::{Holder, LicenceInfo};
use crate::limit::{Limit, Source};
use crate::report::{HolderView, KenkakuView, Parts, Report, Verdict};
use crate::submission::Submission;
use crate::time::UnixTime;
use crate::trust_store::TrustStore;

/// What a verification needs besides the data and the anchors.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The instant of verification (expiry, certificate validity, challenge expiry).
    pub at: UnixTime,
    /// Where the data came from.
    pub source: Source,
    /// The verifier's challenge ledger; without one, freshness is never proven (`not_fresh`).
    pub ledger: Option<&'a dyn ChallengeLedger>,
    /// Put the IC licence's 本籍 (EF02) in the report: only when the caller asked for it.
    pub honseki: bool,
}

impl core::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context")
            .field("at", &self.at)
            .field("source", &self.source)
            .field("ledger", &self.ledger.is_some())
            .field("honseki", &self.honseki)
            .finish()
    }
}

impl<'a> Context<'a> {
    /// Data from elsewhere, no ledger: the context of `menkyo verify`.
    pub fn submission(at: UnixTime) -> Self {
        Self { at, source: Source::Submission, ledger: None, honseki: false }
    }

    /// Data this program read from one card just now.
    pub fn local_read(at: UnixTime) -> Self {
        Self { at, source: Source::LocalRead, ledger: None, honseki: false }
    }

    #[must_use]
    pub fn with_ledger(mut self, ledger: &'a dyn ChallengeLedger) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// Include the IC licence's 本籍 in the report (never by default).
    #[must_use]
    pub fn with_honseki(mut self) -> Self {
        self.honseki = true;
        self
    }
}

/// A submission that passed every check. Only [`verify`] makes one.
#[derive(Debug, Clone)]
pub struct VerifiedLicence {
    licence: Option<LicenceInfo>,
    holder: Option<BasicFour>,
    /// The kenkaku age record's birth date.
    kenkaku_birth: Option<Date>,
    /// The IC licence's NPA-signed birth date (EF01 tag 16).
    ic_birth: Option<Date>,
    on: Date,
}

impl VerifiedLicence {
    /// The licence AP data, when submitted.
    pub fn licence(&self) -> Option<&LicenceInfo> {
        self.licence.as_ref()
    }

    /// The holder's basic four, when the input-assist AP was submitted.
    pub fn holder(&self) -> Option<&BasicFour> {
        self.holder.as_ref()
    }

    /// The signed birth date an age answer rests on, with its basis, in this order of
    /// preference: the kenkaku age record (bound to the card key), the IC licence's EF01
    /// (NPA-signed), the card-surface data.
    pub fn birth_date(&self) -> Option<(Date, AgeBasis)> {
        self.kenkaku_birth
            .map(|d| (d, AgeBasis::Kenkaku))
            .or(self.ic_birth.map(|d| (d, AgeBasis::IcLicence)))
            .or_else(|| self.holder.as_ref().map(|h| (h.birth_date, AgeBasis::Kenhojo)))
    }

    /// Whether the holder is at least `years` old on the verification date; `None` when no
    /// signed birth date was submitted.
    pub fn is_over(&self, years: u16) -> Option<bool> {
        let (birth, _) = self.birth_date()?;
        birth.age_on(self.on).map(|age| age >= years)
    }
}

/// Where the birth date of an age answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBasis {
    /// 券面事項確認AP EF 0001: bound to the card key that answered the challenge.
    Kenkaku,
    /// The IC licence's NPA-signed EF01.
    IcLicence,
    /// 券面事項入力補助AP EF 0002: signed, but bound to no card key.
    Kenhojo,
}

impl AgeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBasis::Kenkaku => "kenkaku",
            AgeBasis::IcLicence => "ic_licence",
            AgeBasis::Kenhojo => "kenhojo",
        }
    }
}

/// The answer to "is the holder at least N years old?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeAnswer {
    /// `Some` only for a valid verdict with a signed birth date.
    pub result: Option<bool>,
    pub basis: Option<AgeBasis>,
    /// What this answer does not prove.
    pub limits: Vec<Limit>,
}

/// Which answered challenges this verification found fresh (issued by this verifier and
/// answered by a certified card key).
#[derive(Debug, Clone, Copy, Default)]
struct Freshness {
    kenhojo: bool,
    kenkaku: bool,
}

/// The outcome of [`verify`]: the report, and the verified data when the verdict is valid.
#[derive(Debug, Clone)]
pub struct Verification {
    report: Report,
    verified: Option<VerifiedLicence>,
    fresh: Freshness,
    /// The portrait bytes, kept for [`Verification::with_portrait_jpeg`].
    #[cfg_attr(not(feature = "portrait"), allow(dead_code))]
    photo: Vec<u8>,
    #[cfg_attr(not(feature = "portrait"), allow(dead_code))]
    photo_allowed: bool,
}

impl Verification {
    pub fn report(&self) -> &Report {
        &self.report
    }

    pub fn verdict(&self) -> Verdict {
        self.report.verdict()
    }

    /// `Some` only when the verdict is valid.
    pub fn verified(&self) -> Option<&VerifiedLicence> {
        self.verified.as_ref()
    }

    pub fn into_report(self) -> Report {
        self.report
    }

    /// The age answer for `years`, with the limits that concern it.
    pub fn age_check(&self, years: u16) -> AgeAnswer {
        let basis = self.verified.as_ref().and_then(VerifiedLicence::birth_date).map(|(_, b)| b);
        let result = self.verified.as_ref().and_then(|v| v.is_over(years));
        let mut limits = Vec::new();
        if self.report.limits().contains(&Limit::TestAnchors) {
            limits.push(Limit::TestAnchors);
        }
        let from_submission = self.report.source() == Source::Submission;
        match basis {
            Some(AgeBasis::Kenkaku) => {
                if !self.fresh.kenkaku {
                    limits.push(Limit::NotFresh);
                }
            }
            Some(AgeBasis::Kenhojo) => {
                if !self.fresh.kenhojo {
                    limits.push(Limit::NotFresh);
                }
                if from_submission {
                    limits.push(Limit::HolderNotBound);
                }
            }
            Some(AgeBasis::IcLicence) => {
                limits.push(Limit::NotFresh);
                if from_submission {
                    limits.push(Limit::NoCardKeyBinding);
                }
            }
            None => limits.extend(self.report.limits().iter().copied()),
        }
        limits.sort_unstable();
        limits.dedup();
        AgeAnswer { result, basis, limits }
    }

    /// Adds the portrait as JPEG to the report (`licence.photo.jpeg`), only when its signature
    /// verified or the card was read here just now: a portrait from an unverified upload is
    /// never decoded. Decoding is bounded in size and in concurrency ([`crate::portrait`]).
    #[cfg(feature = "portrait")]
    #[must_use]
    pub fn with_portrait_jpeg(mut self) -> Self {
        use base64::Engine as _;
        if self.photo_allowed
            && let Ok(jpeg) = crate::portrait::to_jpeg(&self.photo)
            && let Some(photo) = self.report.photo_mut()
        {
            photo.jpeg = Some(base64::engine::general_purpose::STANDARD.encode(jpeg));
        }
        self
    }

    /// The portrait as JPEG, under the same rule as [`Verification::with_portrait_jpeg`].
    #[cfg(feature = "portrait")]
    pub fn portrait_jpeg(&self) -> Option<Result<Vec<u8>, crate::portrait::PortraitError>> {
        self.photo_allowed.then(|| crate::portrait::to_jpeg(&self.photo))
    }
}

/// The checks made so far.
pub(crate) struct Checks(Vec<Check>);

impl Checks {
    fn push(&mut self, id: CheckId, status: Status, detail: impl Into<String>) {
        self.0.push(Check::new(id, status, detail.into()));
    }

    pub(crate) fn ok(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Status::Valid, detail);
    }

    pub(crate) fn bad(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Status::Invalid, detail);
    }

    pub(crate) fn skip(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Status::Unchecked, detail);
    }

    pub(crate) fn result(&mut self, id: CheckId, valid: bool, ok: &str, bad: &str) {
        if valid { self.ok(id, ok) } else { self.bad(id, bad) }
    }

    /// Whether every one of `ids` was made and is valid.
    pub(crate) fn all_valid(&self, ids: &[CheckId]) -> bool {
        ids.iter().all(|id| self.0.iter().any(|c| c.id() == *id && c.status() == Status::Valid))
    }
}

/// Whether an answered challenge may count: issued by this verifier and not used before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ledger {
    /// No ledger: the signature is checked, freshness is never proven.
    None,
    Fresh,
    Refused,
}

/// Anchors of a TEST ONLY kind were used for a check that passed.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    pub(crate) test_anchor: bool,
}

/// Verifies a submission against `trust` in `ctx`. The only error is a ledger that could not
/// be consulted; every problem with the data is a check in the report.
pub fn verify(submission: &Submission, trust: &TrustStore, ctx: &Context<'_>) -> Result<Verification, LedgerError> {
    let mut c = Checks(Vec::with_capacity(12));
    let mut usage = Usage { test_anchor: trust.is_test_only() };
    let today = ctx.at.jst_date();
    // The challenge is consumed whenever it is presented, whatever else the data holds.
    let ledger = match (&submission.freshness, ctx.ledger) {
        (None, _) | (Some(_), None) => Ledger::None,
        (Some(f), Some(l)) => match l.consume(&f.challenge, ctx.at)? {
            ChallengeStatus::Fresh => Ledger::Fresh,
            ChallengeStatus::Refused => Ledger::Refused,
        },
    };
    let licence = submission.licence.as_ref().map(|files| licence::verify(files, trust, ctx.at, &mut c));
    let ic = submission.ic_licence.as_ref().and_then(|f| ic_licence::verify(f, trust, ctx.at, ctx.honseki, &mut c));
    let holder = kenhojo::verify(submission, trust, ledger, &mut c, &mut usage);
    let kenkaku_birth = kenkaku::verify(submission, trust, ledger, &mut c, &mut usage);
    // Fresh: this verifier's challenge, answered by a card key certified up to an anchor.
    let fresh = Freshness {
        kenhojo: ledger == Ledger::Fresh
            && c.all_valid(&[CheckId::KenhojoCertificate, CheckId::FreshnessCardKey, CheckId::FreshnessSignature]),
        kenkaku: ledger == Ledger::Fresh
            && c.all_valid(&[CheckId::KenkakuCertificate, CheckId::KenkakuSignature, CheckId::FreshnessKenkaku]),
    };

    let mut limits = Vec::new();
    // The age record binds its birth date to its own card key: unless that key answered, the
    // record may be anyone's copy, whatever the kenhojo key did.
    if !fresh.kenkaku && (!fresh.kenhojo || submission.kenkaku.is_some()) {
        limits.push(Limit::NotFresh);
    }
    if usage.test_anchor {
        limits.push(Limit::TestAnchors);
    }
    if ctx.source == Source::Submission {
        if submission.licence.is_some() {
            limits.push(Limit::LicenceNotBound);
        }
        if submission.kenhojo.is_some() {
            limits.push(Limit::HolderNotBound);
        }
        if submission.ic_licence.is_some() {
            limits.push(Limit::NoCardKeyBinding);
        }
    }
    if ic.as_ref().is_some_and(|o| !o.changes.is_empty()) {
        limits.push(Limit::ChangesNotSigned);
    }
    let parsed_licence = licence.as_ref().and_then(|l| l.info.as_ref());
    if parsed_licence.is_some_and(|l| l.holder() == Holder::DrivingHistory) {
        limits.push(Limit::NotADrivingLicence);
    }
    let photo_allowed = licence.as_ref().is_some_and(|l| l.photo_verified)
        || ic.as_ref().is_some_and(|o| o.photo_verified)
        || ctx.source == Source::LocalRead;
    let ic_holder = ic.as_ref().map(|o| ic_licence::holder_view(o, today));
    let report = Report::new(Parts {
        checked_at: ctx.at.to_rfc3339(),
        source: ctx.source,
        limits,
        checks: c.0,
        licence: parsed_licence
            .map(|l| licence::view(l, today))
            .or_else(|| ic.as_ref().map(|o| ic_licence::licence_view(o, today))),
        // The IC licence's holder data are NPA-signed with the licence: they come first.
        holder: ic_holder.or_else(|| {
            holder.as_ref().map(|h| HolderView {
                name: h.name.clone(),
                kana: None,
                address: h.address.clone(),
                birth_date: h.birth_date.to_iso(),
                sex: Some(h.sex.as_str()),
                age: today.and_then(|d| h.birth_date.age_on(d)),
            })
        }),
        kenkaku: kenkaku_birth.map(|b| KenkakuView { birth_date: b.to_iso(), age: today.and_then(|d| b.age_on(d)) }),
    });
    let ic_birth = ic.as_ref().and_then(|o| o.entries.birth_date).map(crate::era::WarekiDate::to_gregorian);
    let photo = parsed_licence.map(|l| l.photo.clone()).or_else(|| ic.map(|o| o.photo)).unwrap_or_default();
    let verified = match (report.verdict(), today) {
        (Verdict::Valid, Some(on)) => {
            Some(VerifiedLicence { licence: licence.and_then(|l| l.info), holder, kenkaku_birth, ic_birth, on })
        }
        _ => None,
    };
    Ok(Verification { report, verified, fresh, photo, photo_allowed })
}
