#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = menkyo_core::ic_licence::Photo::decode(data);
});
