fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).unwrap();
    let mut store = tnw_storage_sqlite::SqliteStore::open(std::path::Path::new(&args[2])).unwrap();
    let t = std::time::Instant::now();
    let r = tnw_app::import::import_events(&mut store, &data, &Default::default(), &|p| {
        eprintln!("{:?} {:?}", p, t.elapsed())
    })
    .unwrap();
    eprintln!(
        "{} imported {} rejected in {:?}",
        r.imported,
        r.rejected.len(),
        t.elapsed()
    );
    let book = tnw_domain::RuleBook::builtin().unwrap();
    let t = std::time::Instant::now();
    let mut n = 0;
    tnw_app::due::sweep(
        &mut store,
        &book,
        None,
        tnw_domain::date::parse_date("2026-11-22").unwrap(),
        None,
        &mut |v| {
            n += v.len();
            Ok(())
        },
    )
    .unwrap();
    eprintln!("due {} tasks in {:?}", n, t.elapsed());
}
