//! Profiling aid: `semdoc build` with the system allocator, for heap profilers that hook malloc
//! (`heaptrack target/release/examples/buildsys SITE_DIR`).
fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: buildsys SITE_DIR");
        std::process::exit(2);
    };
    match semdoc::pipeline::build(&semdoc::pipeline::BuildOptions::new(&root)) {
        Ok(r) => eprintln!("{} pages, {} files, {} errors in {:?}", r.pages, r.files, r.errors(), r.elapsed),
        Err(e) => {
            eprintln!("{e:#}");
            std::process::exit(2);
        }
    }
}
