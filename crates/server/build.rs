//! Release builds embed `web/dist` (see `src/web.rs`). Cargo does not know about that folder, so
//! tell it to recompile when the built UI changes, or when it appears after a build without it.

fn main() {
    let dist = std::path::Path::new("../../web/dist");
    if dist.exists() {
        println!("cargo::rerun-if-changed=../../web/dist");
    } else {
        // Watching the missing folder itself would rerun on every build; its parent changes
        // when `npm run build` creates it.
        println!("cargo::rerun-if-changed=../../web");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
