//! The identification-photo pipeline on a camera-sized photo: median time of each stage
//! (decode, resize, orient, encode full + thumbnail, encrypt), the whole, `vipsthumbnail` on the
//! same file for reference, and the pipeline's peak heap use.
//!
//!     cargo bench --bench photos          # PHOTOS_BENCH_RUNS=20 for more runs
//!
//! Target: ours ≤ 0.7 × vipsthumbnail, peak ≤ 100 MB for a 12-megapixel JPEG.
// The peak-heap counter is a global allocator, which is `unsafe` to implement.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use avtomektep::media::pipeline::{self, Processed, Timings};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// The system allocator, counting the bytes live now and the most live since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the most heap it held beyond what was live before.
fn with_peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = f();
    (result, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:7.1} ms", duration.as_secs_f64() * 1000.0)
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

struct Run {
    timings: Timings,
    encrypt: Duration,
    peak: usize,
}

fn encrypt(cipher: &XChaCha20Poly1305, processed: &Processed, run: u8) -> usize {
    let mut sealed = 0;
    for (i, plain) in [&processed.full, &processed.thumb].into_iter().enumerate() {
        let nonce = XNonce::from([run.wrapping_add(i as u8); 24]);
        sealed += cipher.encrypt(&nonce, plain.as_slice()).unwrap().len();
    }
    sealed
}

fn run_pipeline(input: &[u8], cipher: &XChaCha20Poly1305, run: u8) -> (Run, Processed) {
    let ((processed, timings, encrypt_time), peak) = with_peak(|| {
        let (processed, timings) = pipeline::process_timed(input).expect("the sample is accepted");
        let start = Instant::now();
        std::hint::black_box(encrypt(cipher, &processed, run));
        (processed, timings, start.elapsed())
    });
    let run = Run { timings, encrypt: encrypt_time, peak };
    (run, processed)
}

/// Runs the pipeline `runs` times after a warm-up, calling `between` after each run (to
/// interleave a reference tool, so that both see the same machine load), and prints medians.
fn bench_pipeline(
    label: &str, input: &[u8], runs: usize, mut between: impl FnMut(),
) -> (Duration, usize) {
    let cipher = XChaCha20Poly1305::new(&[0x42; 32].into());
    for warm_up in 0..2 {
        run_pipeline(input, &cipher, warm_up);
    }
    let mut results = Vec::new();
    let mut last = None;
    for i in 0..runs {
        let (run, processed) = run_pipeline(input, &cipher, i as u8);
        results.push(run);
        last = Some(processed);
        between();
    }
    let last = last.expect("at least one run");
    let stage = |pick: &dyn Fn(&Run) -> Duration| median(results.iter().map(pick).collect());
    let total = stage(&|r| r.timings.total() + r.encrypt);
    let peak = results.iter().map(|r| r.peak).max().unwrap_or(0);

    println!("{label}: {} input, {runs} runs, medians", mb(input.len()));
    println!("  decode                   {}", ms(stage(&|r| r.timings.decode)));
    println!("  resize (full + thumb)    {}", ms(stage(&|r| r.timings.resize)));
    println!("  orient                   {}", ms(stage(&|r| r.timings.orient)));
    println!("  encode (full + thumb)    {}", ms(stage(&|r| r.timings.encode)));
    println!("  encrypt (XChaCha20-P1305){}", ms(stage(&|r| r.encrypt)));
    println!("  total                    {}", ms(total));
    println!(
        "  output: {}×{} full {} KB, thumb {} KB",
        last.width,
        last.height,
        last.full.len() / 1000,
        last.thumb.len() / 1000
    );
    println!(
        "  peak heap beyond the upload: {} (with the upload itself: {})",
        mb(peak),
        mb(peak + input.len())
    );
    (total, peak)
}

/// Wall time of one `vipsthumbnail in.jpg -s 1600 -o out.jpg`, or `None` when it is missing.
fn vipsthumbnail(input: &Path, output: &Path) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new("vipsthumbnail")
        .arg(input)
        .args(["-s", "1600", "-o"])
        .arg(output)
        .status()
        .ok()?;
    assert!(status.success(), "vipsthumbnail failed: {status}");
    Some(start.elapsed())
}

/// What the design choices buy: the same photo without DCT-domain scaling (full 12 Mpx decode,
/// then a 4000 → 1600 resize).
fn bench_without_dct_scaling(input: &[u8], runs: usize) {
    use fast_image_resize::images::{Image, ImageRef};
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

    let mut decode_times = Vec::new();
    let mut resize_times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs.min(5) {
        let (_, run_peak) = with_peak(|| {
            let start = Instant::now();
            let mut decoder = jpeg_decoder::Decoder::new(input);
            let rgb = decoder.decode().unwrap();
            let info = decoder.info().unwrap();
            decode_times.push(start.elapsed());
            let start = Instant::now();
            let (w, h) = (u32::from(info.width), u32::from(info.height));
            let (tw, th) = pipeline::fit(w, h, pipeline::MAX_EDGE);
            let src = ImageRef::new(w, h, &rgb, PixelType::U8x3).unwrap();
            let mut dst = Image::new(tw, th, PixelType::U8x3);
            let options =
                ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
            Resizer::new().resize(&src, &mut dst, &options).unwrap();
            resize_times.push(start.elapsed());
            std::hint::black_box(dst);
        });
        peak = peak.max(run_peak);
    }
    println!("for comparison, without DCT-domain scaling (jpeg-decoder at 1/1):");
    println!("  decode 4000×3000         {}", ms(median(decode_times)));
    println!("  resize 4000 → 1600       {}", ms(median(resize_times)));
    println!("  peak heap                {}", mb(peak));
}

fn main() {
    let runs = std::env::var("PHOTOS_BENCH_RUNS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(10usize)
        .max(1);
    let dir = std::env::temp_dir().join(format!("avtomektep-photos-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // 12 Mpx, EXIF orientation 6 (a phone held upright), quality 92, 4:2:0, baseline.
    let photo = pipeline::sample_jpeg(4000, 3000, Some(6));
    let input_path = dir.join("in.jpg");
    std::fs::write(&input_path, &photo).unwrap();

    println!(
        "photo pipeline benchmark ({} CPUs)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let output_path = dir.join("out.jpg");
    let vips_installed = vipsthumbnail(&input_path, &output_path).is_some();
    let mut vips_times = Vec::new();
    let (ours, _) = bench_pipeline("12 Mpx baseline JPEG, orientation 6", &photo, runs, || {
        if vips_installed {
            vips_times.extend(vipsthumbnail(&input_path, &output_path));
        }
    });
    if vips_times.is_empty() {
        println!("vipsthumbnail: not installed (Debian: apt-get install libvips-tools)");
    } else {
        let vips = median(vips_times);
        println!(
            "vipsthumbnail in.jpg -s 1600 -o out.jpg: {} (median of {runs}, run alternately with ours)",
            ms(vips)
        );
        println!(
            "ratio ours / vipsthumbnail: {:.2} (target ≤ 0.70)",
            ours.as_secs_f64() / vips.as_secs_f64()
        );
    }

    // A progressive JPEG keeps all its DCT coefficients in memory until the last scan: the worst
    // case for memory is progressive without chroma subsampling.
    let rgb = pipeline::fixtures::sample_rgb(4000, 3000);
    for (label, sampling) in [
        ("12 Mpx progressive JPEG 4:2:0", jpeg_encoder::SamplingFactor::F_2_2),
        ("12 Mpx progressive JPEG 4:4:4", jpeg_encoder::SamplingFactor::F_1_1),
    ] {
        let mut progressive = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut progressive, 92);
        encoder.set_sampling_factor(sampling);
        encoder.set_progressive(true);
        encoder.encode(&rgb, 4000, 3000, jpeg_encoder::ColorType::Rgb).unwrap();
        bench_pipeline(label, &progressive, runs.min(5), || {});
    }
    drop(rgb);

    // No DCT scaling for PNG: the whole image is decoded, then resized.
    let png = pipeline::sample_png(4000, 3000);
    bench_pipeline("12 Mpx PNG", &png, runs.min(3), || {});
    drop(png);

    bench_without_dct_scaling(&photo, runs);

    std::fs::remove_dir_all(&dir).ok();
}
