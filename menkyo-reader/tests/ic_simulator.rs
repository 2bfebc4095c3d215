//! The simulated conventional IC licence and its reading session: exact bytes of every
//! persona, PIN safety (counter before each VERIFY, one VERIFY, DPIN only when MF/EF02 says
//! so, the last try refused, blocked PINs), reads through readers that refuse extended
//! lengths or cut responses, APDU counts against the minimum, card detection, removal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use menkyo_core::{IcLicenceFiles, Submission};
use menkyo_reader::ic_card_profile::*;
use menkyo_reader::ic_read::{IcPinRequest, IcStep, read_ic_card};
use menkyo_reader::ic_session::{IC_PIN1, IC_PIN2, IC_RESET};
use menkyo_reader::ic_simulator::{IcCardData, SimIcCard};
use menkyo_reader::session::{LastTry, Pin, ReadError};
use menkyo_reader::simulator::{CardData, SimCard};
use menkyo_reader::{CardKind, Stats, Transport, TransportError, detect};
use serde_json::Value;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn personas() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(vectors().join("ic-personas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    assert!(ids.len() >= 10, "{ids:?}");
    ids
}

fn creds(id: &str) -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("ic-personas").join(id).join("credentials.json")).unwrap())
        .unwrap()
}

fn card(id: &str) -> SimIcCard {
    SimIcCard::from_persona(&vectors(), id).unwrap()
}

/// The persona's EFs as files on disk; without PIN2 only what PIN1 opens.
fn on_disk(id: &str, with_pin2: bool) -> IcLicenceFiles {
    let dir = vectors().join("ic-personas").join(id);
    let read = |p: &str| std::fs::read(dir.join(p)).ok();
    let pin2 = |p: &str| if with_pin2 { read(p) } else { None };
    IcLicenceFiles {
        mf_ef01: read("mf/ef01.bin"),
        mf_ef02: read("mf/ef02.bin"),
        ef01: read("df1/ef01.bin").unwrap(),
        ef02: pin2("df1/ef02.bin"),
        ef03: read("df1/ef03.bin"),
        ef04: read("df1/ef04.bin"),
        ef05: read("df1/ef05.bin"),
        ef06: pin2("df1/ef06.bin"),
        ef07: read("df1/ef07.bin").unwrap(),
        photo: pin2("df2/ef01.bin"),
    }
}

/// A transport that lends the simulator, so its trace and counters can be looked at after a
/// read that failed (the read only hands the transport back on success).
struct Lent<'a>(&'a mut SimIcCard);

impl Transport for Lent<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.transmit(command)
    }
}

/// What the clerk was asked, and the result.
struct Outcome {
    asked: Vec<IcPinRequest>,
    steps: Vec<IcStep>,
    result: Result<(IcLicenceFiles, Stats), ReadError>,
}

/// Reads `sim` answering PIN1 / PIN2 with the given values (`None`: the holder does not know it).
fn read_with(sim: &mut SimIcCard, pin1: Option<&str>, pin2: Option<&str>, last: LastTry) -> Outcome {
    let mut asked = Vec::new();
    let mut steps = Vec::new();
    let result = read_ic_card(
        Lent(sim),
        &mut |r| {
            asked.push(r);
            match r {
                IcPinRequest::Pin1 { .. } => pin1.and_then(Pin::new),
                IcPinRequest::Pin2 { .. } => pin2.and_then(Pin::new),
            }
        },
        last,
        &mut |s| steps.push(s),
    )
    .map(|(files, stats, _)| (files, stats));
    Outcome { asked, steps, result }
}

/// Reads a persona's card with its credentials.
fn read_persona(sim: &mut SimIcCard, id: &str, last: LastTry) -> Outcome {
    let c = creds(id);
    read_with(sim, c["pin1"].as_str(), c["pin2"].as_str(), last)
}

fn commands(sim: &SimIcCard) -> Vec<Vec<u8>> {
    sim.trace().iter().map(|t| t.command.clone()).collect()
}

/// VERIFY commands that carry data (a try), as traced (header and Lc: the PIN is masked).
fn verifies_with_data(sim: &SimIcCard) -> Vec<Vec<u8>> {
    commands(sim).into_iter().filter(|c| c.get(1) == Some(&0x20) && c.len() > 4).collect()
}

fn any_verify(sim: &SimIcCard) -> bool {
    commands(sim).iter().any(|c| c.get(1) == Some(&0x20))
}

#[test]
fn every_ic_persona_reads_exactly_the_bytes_of_its_efs() {
    for id in personas() {
        let c = creds(&id);
        let mut sim = card(&id);
        let out = read_persona(&mut sim, &id, LastTry::Allow);
        if c["pin1_tries"] == 0 {
            assert_eq!(out.result.unwrap_err(), ReadError::Blocked { what: IC_PIN1, where_: IC_RESET }, "{id}");
            continue;
        }
        let with_pin2 = !c["pin2"].is_null();
        let (files, _) = out.result.unwrap();
        assert_eq!(files, on_disk(&id, with_pin2), "{id}");
        // The persona's submission describes exactly this read.
        let dir = vectors().join("ic-personas").join(&id);
        let submission = Submission::from_json(&std::fs::read(dir.join("submission.json")).unwrap()).unwrap();
        assert_eq!(submission.ic_licence.as_ref(), Some(&files), "{id}");
        // DF1/EF03 only on the cards that have it (6A82 otherwise).
        assert_eq!(files.ef03.is_some(), dir.join("df1/ef03.bin").exists(), "{id}");
        // A PIN was asked for only when MF/EF02 says PINs are set, with the tries just read.
        let set = c["pin_setting"] == "set";
        let tries = |k: &str| u8::try_from(c[k].as_u64().unwrap()).unwrap();
        let mut want = Vec::new();
        if set {
            want.push(IcPinRequest::Pin1 { tries_left: tries("pin1_tries") });
            want.push(IcPinRequest::Pin2 { tries_left: tries("pin2_tries") });
        }
        assert_eq!(out.asked, want, "{id}");
    }
}

#[test]
fn without_pin2_the_read_has_no_domicile_or_photo_and_pin2_is_asked_once() {
    let mut sim = card("ic06-pin2-unknown");
    let out = read_persona(&mut sim, "ic06-pin2-unknown", LastTry::Refuse);
    let (files, _) = out.result.unwrap();
    assert_eq!((&files.ef02, &files.ef06, &files.photo), (&None, &None, &None));
    assert_eq!(files, on_disk("ic06-pin2-unknown", false));
    assert_eq!(out.asked, vec![IcPinRequest::Pin1 { tries_left: 3 }, IcPinRequest::Pin2 { tries_left: 3 }]);
    assert_eq!(out.steps, vec![IcStep::Card, IcStep::Pin1Verified, IcStep::WithoutPin2, IcStep::Read]);
    // PIN2's counter was read to show the tries, PIN2 itself never tried.
    assert_eq!(verifies_with_data(&sim), vec![vec![0x00, 0x20, 0x00, 0x81, 0x04]]);
    assert!(commands(&sim).contains(&vec![0x00, 0x20, 0x00, 0x82]));
    assert_eq!(sim.tries(IC_PIN2_P2), Some(3));
    // Nothing behind PIN2 was even asked for.
    let cmds = commands(&sim);
    assert!(!cmds.iter().any(|c| c.starts_with(&[0x00, 0xB0, 0x82]) || c.starts_with(&[0x00, 0xB0, 0x86])));
    assert!(!cmds.iter().any(|c| c.ends_with(&IC_DF2_AID)));
}

#[test]
fn a_dpin_card_asks_nothing_and_reads_each_counter_before_its_verify() {
    let mut sim = card("ic03-no-pin");
    let out = read_with(&mut sim, Some("1234"), Some("5678"), LastTry::Refuse);
    let (files, _) = out.result.unwrap();
    assert_eq!(files, on_disk("ic03-no-pin", true));
    assert!(out.asked.is_empty());
    let verifies: Vec<(usize, Vec<u8>)> =
        commands(&sim).into_iter().enumerate().filter(|(_, c)| c.get(1) == Some(&0x20)).collect();
    let pairs: Vec<&[u8]> = verifies.iter().map(|(_, c)| c.as_slice()).collect();
    assert_eq!(
        pairs,
        [
            &[0x00, 0x20, 0x00, 0x81][..],
            &[0x00, 0x20, 0x00, 0x81, 0x04],
            &[0x00, 0x20, 0x00, 0x82],
            &[0x00, 0x20, 0x00, 0x82, 0x04]
        ]
    );
    // Each counter right before its VERIFY.
    assert_eq!(verifies[0].0 + 1, verifies[1].0);
    assert_eq!(verifies[2].0 + 1, verifies[3].0);
    // Both VERIFYs succeeded: the card took DPIN (the PINs offered were never sent).
    assert_eq!(sim.tries(IC_PIN1_P2), Some(3));
    assert_eq!(sim.tries(IC_PIN2_P2), Some(3));
}

#[test]
fn the_last_try_of_pin1_is_refused_unless_allowed() {
    let mut sim = card("ic07-pin1-one-try");
    let out = read_persona(&mut sim, "ic07-pin1-one-try", LastTry::Refuse);
    assert_eq!(out.result.unwrap_err(), ReadError::LastTryRefused { what: IC_PIN1 });
    assert_eq!(out.asked, vec![IcPinRequest::Pin1 { tries_left: 1 }]);
    assert!(verifies_with_data(&sim).is_empty());
    assert_eq!(sim.tries(IC_PIN1_P2), Some(1));

    let out = read_persona(&mut sim, "ic07-pin1-one-try", LastTry::Allow);
    assert_eq!(out.result.unwrap().0, on_disk("ic07-pin1-one-try", true));
    // A correct PIN resets the counter.
    assert_eq!(sim.tries(IC_PIN1_P2), Some(IC_PIN_TRIES));

    // The same for PIN2: a PIN2 given at one try left is refused.
    let mut sim = card("ic02-spec-008");
    sim.set_tries(IC_PIN2_P2, 1);
    let out = read_persona(&mut sim, "ic02-spec-008", LastTry::Refuse);
    assert_eq!(out.result.unwrap_err(), ReadError::LastTryRefused { what: IC_PIN2 });
    assert_eq!(out.asked.last(), Some(&IcPinRequest::Pin2 { tries_left: 1 }));
    assert_eq!(verifies_with_data(&sim), vec![vec![0x00, 0x20, 0x00, 0x81, 0x04]]);
}

#[test]
fn a_blocked_pin1_is_reported_and_nothing_is_tried() {
    let mut sim = card("ic08-pin1-blocked");
    let out = read_persona(&mut sim, "ic08-pin1-blocked", LastTry::Allow);
    let err = out.result.unwrap_err();
    assert_eq!(err, ReadError::Blocked { what: IC_PIN1, where_: IC_RESET });
    assert_eq!(err.to_string(), "PIN1 (暗証番号1) is locked: the holder must have it reset (licence centre or police)");
    assert!(out.asked.is_empty());
    assert!(verifies_with_data(&sim).is_empty());
    assert_eq!(sim.trace().last().unwrap().response, vec![0x69, 0x84]);
}

#[test]
fn a_blocked_pin2_still_reads_what_pin1_opens() {
    let mut sim = card("ic02-spec-008");
    sim.set_tries(IC_PIN2_P2, 0);
    let out = read_persona(&mut sim, "ic02-spec-008", LastTry::Allow);
    assert_eq!(out.result.unwrap().0, on_disk("ic02-spec-008", false));
    assert_eq!(out.asked, vec![IcPinRequest::Pin1 { tries_left: 3 }]);
    assert_eq!(out.steps, vec![IcStep::Card, IcStep::Pin1Verified, IcStep::Pin2Blocked, IcStep::Read]);
    assert_eq!(verifies_with_data(&sim).len(), 1);
}

#[test]
fn a_wrong_pin_costs_one_try_and_is_never_repeated() {
    let mut sim = card("ic02-spec-008");
    let out = read_with(&mut sim, Some("0000"), Some("1357"), LastTry::Refuse);
    let err = out.result.unwrap_err();
    assert_eq!(err, ReadError::WrongCredential { what: IC_PIN1, tries_left: 2 });
    assert_eq!(err.to_string(), "PIN1 (暗証番号1) wrong: 2 tries left before the card locks");
    assert_eq!(verifies_with_data(&sim), vec![vec![0x00, 0x20, 0x00, 0x81, 0x04]]);
    assert_eq!(out.asked, vec![IcPinRequest::Pin1 { tries_left: 3 }]);
    assert_eq!(sim.tries(IC_PIN1_P2), Some(2));

    // The next read shows the try spent; a wrong PIN2 likewise.
    let out = read_with(&mut sim, Some("2468"), Some("0000"), LastTry::Refuse);
    assert_eq!(out.result.unwrap_err(), ReadError::WrongCredential { what: IC_PIN2, tries_left: 2 });
    assert_eq!(out.asked, vec![IcPinRequest::Pin1 { tries_left: 2 }, IcPinRequest::Pin2 { tries_left: 3 }]);
    assert_eq!(verifies_with_data(&sim).len(), 3);
    assert_eq!((sim.tries(IC_PIN1_P2), sim.tries(IC_PIN2_P2)), (Some(3), Some(2)));

    // No PIN1 for a card with PINs: nothing is tried.
    let mut sim = card("ic02-spec-008");
    let out = read_with(&mut sim, None, None, LastTry::Refuse);
    assert_eq!(out.result.unwrap_err(), ReadError::PinNeeded { what: IC_PIN1 });
    assert!(verifies_with_data(&sim).is_empty());
}

#[test]
fn an_unreadable_or_unknown_pin_setting_gets_no_verify() {
    for mf_ef02 in [None, Some(vec![0x05, 0x01, 0x02]), Some(vec![0xFF, 0xFF, 0xFF]), Some(vec![0x05, 0x01])] {
        for id in ["ic02-spec-008", "ic03-no-pin"] {
            let mut data = IcCardData::from_persona(&vectors(), id).unwrap();
            data.mf_ef02 = mf_ef02.clone();
            let mut sim = SimIcCard::new(data);
            let out = read_persona(&mut sim, id, LastTry::Allow);
            assert_eq!(out.result.unwrap_err(), ReadError::IcPinSettingUnknown, "{id} {mf_ef02:?}");
            assert!(out.asked.is_empty());
            assert!(!any_verify(&sim), "{id} {mf_ef02:?}: {:?}", commands(&sim));
        }
    }
}

#[test]
fn nothing_but_mf_ef01_and_ef02_is_read_before_verify() {
    for id in personas().iter().filter(|id| creds(id)["pin1_tries"] != 0) {
        let mut sim = card(id);
        read_persona(&mut sim, id, LastTry::Allow).result.unwrap();
        let cmds = commands(&sim);
        let want: [&[u8]; 6] = [
            &[0x00, 0xA4, 0x00, 0x00],                   // SELECT MF
            &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x2F, 0x01], // SELECT MF/EF01 (no SFI)
            &[0x00, 0xB0, 0x00, 0x00, 0x00],             // READ BINARY current EF, 17 B
            &[0x00, 0xB0, 0x8A, 0x00, 0x00],             // READ BINARY SFI 0A (MF/EF02), 3 B
            &[0x00, 0x20, 0x00, 0x81],                   // PIN1 counter
            &[0x00, 0x20, 0x00, 0x81, 0x04],             // VERIFY PIN1 (masked)
        ];
        assert_eq!(cmds[..6].iter().map(Vec::as_slice).collect::<Vec<_>>(), want, "{id}");
        // PIN2 and its counter come before anything PIN2 opens; DF1 is selected after both.
        let pos = |c: &[u8]| cmds.iter().position(|x| x.as_slice() == c).unwrap();
        assert_eq!(pos(&[0x00, 0x20, 0x00, 0x82]), 6, "{id}");
        assert!(cmds.iter().position(|c| c.ends_with(&IC_DF1_AID)).unwrap() > 6, "{id}");
    }
}

/// Full reads of `sim` with its persona's credentials: the files and the traffic.
fn full_read(mut sim: SimIcCard, id: &str) -> (IcLicenceFiles, Stats, SimIcCard) {
    let c = creds(id);
    let out = read_persona(&mut sim, id, LastTry::Refuse);
    let (files, stats) = out.result.unwrap_or_else(|e| panic!("{id}: {e} {c}"));
    (files, stats, sim)
}

#[test]
fn chunked_and_cut_reads_give_identical_bytes() {
    for id in ["ic02-spec-008", "ic05-gaiji-name", "ic09-short-reads"] {
        let want = on_disk(id, true);
        let (files, _, _) = full_read(card(id), id);
        assert_eq!(files, want, "{id}");
        let (files, _, sim) = full_read(card(id).without_extended_le(), id);
        assert_eq!(files, want, "{id}: extended Le refused");
        assert!(sim.trace().iter().all(|t| t.response.len() <= 258), "{id}");
        for cut in [256, 400, 100] {
            let (files, _, sim) = full_read(card(id).cut_responses_at(cut), id);
            assert_eq!(files, want, "{id}: responses cut at {cut}");
            assert!(sim.trace().iter().all(|t| t.response.len() <= cut + 2), "{id}");
        }
        let (files, _, _) = full_read(card(id).cut_responses_at(256).without_extended_le(), id);
        assert_eq!(files, want, "{id}: both");
    }
    // The persona whose reader cuts every response at 256 bytes.
    let (_, _, sim) = full_read(card("ic09-short-reads"), "ic09-short-reads");
    assert!(sim.trace().iter().all(|t| t.response.len() <= 258));
    assert!(sim.trace().iter().any(|t| t.command.starts_with(&[0x00, 0xB0, 0x01, 0x00])));
}

/// The fewest APDUs of a full read in the safe order. Eight commands that read nothing:
/// SELECT MF, SELECT MF/EF01 (it has no SFI), PIN1 counter, VERIFY PIN1, PIN2 counter,
/// VERIFY PIN2, SELECT DF1, SELECT DF2; then the READ BINARYs of the ten EFs (MF/EF01, MF/EF02,
/// DF1/EF01–07, DF2/EF01; an EF03 the card lacks still costs the READ that answers 6A82):
/// one each with extended lengths (18 in all), ⌈size / 256⌉ each in 256-byte chunks.
fn minimum(files: &IcLicenceFiles, chunk: usize) -> usize {
    const NON_READS: usize = 8;
    let sizes = [
        files.mf_ef01.as_ref().map(Vec::len),
        files.mf_ef02.as_ref().map(Vec::len),
        Some(files.ef01.len()),
        files.ef02.as_ref().map(Vec::len),
        files.ef03.as_ref().map(Vec::len),
        files.ef04.as_ref().map(Vec::len),
        files.ef05.as_ref().map(Vec::len),
        files.ef06.as_ref().map(Vec::len),
        Some(files.ef07.len()),
        files.photo.as_ref().map(Vec::len),
    ];
    NON_READS + sizes.iter().map(|s| s.map_or(1, |n| n.div_ceil(chunk).max(1))).sum::<usize>()
}

#[test]
fn apdu_counts_against_the_minimum() {
    for id in ["ic02-spec-008", "ic05-gaiji-name"] {
        let (files, ext, _) = full_read(card(id), id);
        let (_, short, _) = full_read(card(id).without_extended_le(), id);
        let (_, cut, _) = full_read(card(id).cut_responses_at(256), id);
        let (min_ext, min_chunk) = (minimum(&files, usize::MAX), minimum(&files, 256));
        println!(
            "{id}: extended {} APDUs (minimum {min_ext}), 256-byte chunks {} (minimum {min_chunk}), cut at 256 {} \
             (minimum {min_chunk}); bytes sent/received extended {}/{}, chunks {}/{}",
            ext.apdus,
            short.apdus,
            cut.apdus,
            ext.bytes_sent,
            ext.bytes_received,
            short.bytes_sent,
            short.bytes_received
        );
        assert_eq!(min_ext, 18);
        assert_eq!(ext.apdus, min_ext, "{id}");
        // One more: the extended READ that answered 6700 and taught the reader to chunk.
        assert_eq!(short.apdus, min_chunk + 1, "{id}");
        assert_eq!(cut.apdus, min_chunk, "{id}");
        assert!(short.apdus * 10 <= min_chunk * 12, "{id}");
    }
    // EF03 (264 B, two chunks) is on ic05 only.
    assert_eq!(minimum(&on_disk("ic02-spec-008", true), 256), 34);
    assert_eq!(minimum(&on_disk("ic05-gaiji-name", true), 256), 35);
}

/// A JPKI-only card, or anything else: 6A82 to every SELECT.
struct Stranger;

impl Transport for Stranger {
    fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(vec![0x6A, 0x82])
    }
}

#[test]
fn detects_each_card_kind() {
    let data = CardData::from_persona(&vectors(), "p01-standard").unwrap();
    let (kind, sim) = detect(SimCard::new(data.clone())).unwrap();
    assert_eq!(kind, CardKind::MyNumberLicence);
    assert_eq!(sim.trace().len(), 1);

    let mut without = data;
    without.licence = None;
    let (kind, sim) = detect(SimCard::new(without)).unwrap();
    assert_eq!(kind, CardKind::MyNumberWithoutLicence);
    assert_eq!(sim.trace().len(), 2);

    let (kind, sim) = detect(card("ic02-spec-008")).unwrap();
    assert_eq!(kind, CardKind::IcLicence);
    let responses: Vec<&[u8]> = sim.trace().iter().map(|t| t.response.as_slice()).collect();
    assert_eq!(responses, [&[0x6A, 0x82][..], &[0x6A, 0x82], &[0x90, 0x00]]);
    // Detection leaves the card ready for the read that follows.
    let (files, _, _) = full_read(sim, "ic02-spec-008");
    assert_eq!(files, on_disk("ic02-spec-008", true));

    assert_eq!(detect(Stranger).unwrap().0, CardKind::NotALicenceCard);

    // The My Number card simulator answers 6A82 to DF1 of the IC licence.
    let mut sim = SimCard::new(CardData::from_persona(&vectors(), "p01-standard").unwrap());
    let r = sim.transmit(&menkyo_reader::Command::select_ap(&IC_DF1_AID).to_bytes()).unwrap();
    assert_eq!(r, vec![0x6A, 0x82]);
    // An IC read of a My Number card (detection skipped) fails before any VERIFY.
    let err = read_ic_card(sim, &mut |_| Pin::new("1234"), LastTry::Allow, &mut |_| {}).unwrap_err();
    assert!(matches!(err, ReadError::Unexpected { .. } | ReadError::IcPinSettingUnknown), "{err:?}");
    // A card removed during detection.
    assert_eq!(
        detect(card("ic02-spec-008").remove_after(2)).unwrap_err(),
        ReadError::Transport(TransportError::CardRemoved)
    );
}

#[test]
fn a_card_removed_mid_read_is_an_error_not_a_panic() {
    let (_, stats, _) = full_read(card("ic02-spec-008"), "ic02-spec-008");
    for n in 0..stats.apdus {
        let mut sim = card("ic02-spec-008").remove_after(n);
        let out = read_persona(&mut sim, "ic02-spec-008", LastTry::Refuse);
        assert_eq!(out.result.unwrap_err(), ReadError::Transport(TransportError::CardRemoved), "after {n}");
    }
    let mut sim = card("ic02-spec-008").remove_after(stats.apdus);
    assert!(read_persona(&mut sim, "ic02-spec-008", LastTry::Refuse).result.is_ok());
}
