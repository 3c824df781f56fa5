//! Rebuild when the embedded default theme changes (`include_dir!` does not tell cargo on stable).
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
