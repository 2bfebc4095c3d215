//! A full read of a conventional IC licence through the simulator with 20 ms per APDU:
//! APDUs, bytes and wall time with extended lengths and with 256-byte chunks (a reader that
//! refuses extended Le; a reader or phone that cuts responses at 256 bytes), each against its
//! minimum. Run: `cargo bench -p menkyo-reader --features simulator --bench ic_read`.
//!
//! The minimum of a full read in the safe order: 8 commands that read nothing (SELECT MF,
//! SELECT MF/EF01 — it has no SFI —, PIN1 counter, VERIFY PIN1, PIN2 counter, VERIFY PIN2,
//! SELECT DF1, SELECT DF2) plus the READ BINARYs of the ten EFs: one each with extended
//! lengths (18 APDUs), ⌈size / 256⌉ each in 256-byte chunks (35 with DF1/EF03, 34 without:
//! an absent EF03 still costs the one READ that answers 6A82).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::as_conversions)]

use std::path::Path;
use std::time::{Duration, Instant};

use menkyo_core::IcLicenceFiles;
use menkyo_reader::ic_read::{IcPinRequest, read_ic_card};
use menkyo_reader::ic_simulator::SimIcCard;
use menkyo_reader::session::{LastTry, Pin};

const LATENCY: Duration = Duration::from_millis(20);
/// Commands of a full read that read nothing (see the crate comment).
const NON_READS: usize = 8;
/// The bench's target: APDUs at most 1.2 × the minimum.
const TARGET_RATIO: f64 = 1.2;
/// The persona with the most EFs (DF1/EF03, glyphs of 外字 1–2, included).
const PERSONA: &str = "ic05-gaiji-name";

/// A reader profile of the simulator: label, the builder call, extended lengths taken.
type Profile = (&'static str, fn(SimIcCard) -> SimIcCard, bool);

fn minimum(files: &IcLicenceFiles, chunk: usize) -> usize {
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

fn main() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors");
    let creds: serde_json::Value = serde_json::from_slice(
        &std::fs::read(vectors.join("ic-personas").join(PERSONA).join("credentials.json")).unwrap(),
    )
    .unwrap();
    let pin = |k: &str| creds[k].as_str().and_then(Pin::new);
    println!("persona: {PERSONA}, {} ms per APDU", LATENCY.as_millis());
    let profiles: [Profile; 3] = [
        ("extended Le", |c| c, true),
        ("256-byte chunks (6700)", SimIcCard::without_extended_le, false),
        ("cut at 256 bytes", |c| c.cut_responses_at(256), false),
    ];
    for (label, profile, extended) in profiles {
        let card = profile(SimIcCard::from_persona(&vectors, PERSONA).unwrap().with_latency(LATENCY));
        let start = Instant::now();
        let mut ask = |r: IcPinRequest| match r {
            IcPinRequest::Pin1 { .. } => pin("pin1"),
            IcPinRequest::Pin2 { .. } => pin("pin2"),
        };
        let (files, stats, _) = read_ic_card(card, &mut ask, LastTry::Refuse, &mut |_| {}).unwrap();
        let wall = start.elapsed();
        let min = minimum(&files, if extended { usize::MAX } else { 256 });
        let ratio = stats.apdus as f64 / min as f64;
        let min_wall = LATENCY * u32::try_from(min).unwrap();
        println!(
            "{label:24} APDUs {:3} (minimum {min:2}, ratio {ratio:.2}{})  sent {:4} B  received {:5} B  \
             wall {:6.1} ms (minimum {:.0} ms, ratio {:.2})",
            stats.apdus,
            if ratio <= TARGET_RATIO { "" } else { " OVER TARGET" },
            stats.bytes_sent,
            stats.bytes_received,
            wall.as_secs_f64() * 1000.0,
            min_wall.as_secs_f64() * 1000.0,
            wall.as_secs_f64() / min_wall.as_secs_f64(),
        );
    }
}
