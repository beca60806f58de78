import ArgumentParser
import Database
import Foundation

extension BenchCommand {
    /// Similarity search through the product's HNSW index (`EmbeddingQueries.similar`, i.e.
    /// `heaters_similar_clips`) beside an exact scan of the same table in the same run: p50/p95
    /// query time and recall@10. scripts/bench-similarity runs it on a fresh embedded database.
    struct SimilarityBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "similarity",
            abstract: "Similarity search: HNSW p50/p95 query time and recall@10 beside an exact scan of the same table.",
            discussion: """
                Writes sources, clips and vectors of its own into the configured database (point it at a scratch \
                one; scripts/bench-similarity makes a fresh embedded one). The vectors are generated in the server: \
                --centres random directions (Gaussian, normalised), each clip takes one at random and adds Gaussian \
                noise of norm about --spread, normalised (L2). The model is declared, the vectors loaded, then \
                heaters_register_embedding_model builds the model's HNSW index over the full table (timed); with \
                --index-first the model is registered first and the index grows with the load, as in the pipeline. \
                Each query clip (chosen by --seed) is searched with the product's query and with the exact scan \
                (the same statement ordered on an expression no index serves); both leave the query clip out. \
                recall@10 = mean fraction of the exact top 10 that the HNSW top 10 holds.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Clips, each with one vector.") var clips = 100_000
        @Option(help: "Source videos the clips are dealt over (at most one per clip).") var sources = 200
        @Option(help: "Dimension of the vectors.") var dimension = 256
        @Option(help: "Queries timed (each clip at most once).") var queries = 200
        @Option(help: "Queries run first and not counted (other clips).") var warmup = 20
        @Option(help: "Neighbours asked for.") var limit = 10
        @Option(help: "Cluster centres of the generated vectors.") var centres = 300
        @Option(help: "Norm of the noise added to a clip's centre (the centre has norm 1) before normalising.")
        var spread = 0.7
        @Option(help: "Seed of the vectors (setseed) and of the query clips.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("maintenance_work_mem for the index build (default: the server's).", valueName: "size"))
        var maintenanceWorkMem: String?
        @Option(help: ArgumentHelp("Also run the product's statement at these hnsw.ef_search values (comma-separated; empty: none).",
                                    valueName: "list"))
        var efSearch = "56,100,400"
        @Flag(help: "Register the model (and create its empty index) before loading, so the load maintains the index.")
        var indexFirst = false
        @Flag(help: "Print JSON.") var json = false

        struct Latency: Encodable {
            var p50Ms: Double
            var p95Ms: Double
            var meanMs: Double
        }

        /// The product's statement at another ef_search than the product's.
        struct Sweep: Encodable {
            var efSearch: Int
            var latency: Latency
            var recallAt10: Double
            var worstRecall: Double
            var queriesWithFullRecall: Int
        }

        /// A query whose HNSW top `limit` missed some of the exact one.
        struct Miss: Encodable {
            var clip: Int64
            var recall: Double
            var returned: Int
            var exactKthDistance: Double
            var hnswKthDistance: Double?
        }

        struct Plan: Encodable {
            /// Node names, depth-first, indented two spaces a level.
            var nodes: [String]
            var ok: Bool
        }

        struct Report: Encodable {
            struct DataSet: Encodable {
                var clips: Int
                var sources: Int
                var dimension: Int
                var centres: Int
                var spread: Double
                var seed: UInt64
                var description: String
                var tableBytes: Int64
            }
            struct Index: Encodable {
                var name: String
                var definition: String
                var options: [String]?
                var bytes: Int64
                /// Bulk build by heaters_register_embedding_model; nil with --index-first.
                var buildSeconds: Double?
                var maintenanceWorkMem: String?
                var maxParallelMaintenanceWorkers: String?
            }
            var data: DataSet
            var model: String
            var indexFirst: Bool
            /// The machine's 1-minute load average at the start and the end (Linux; nil elsewhere).
            var loadAverage: [Double]?
            var loadSeconds: Double
            var clipsSeconds: Double
            var vectorsSeconds: Double
            var index: Index
            var efSearch: String?
            var limit: Int
            var queries: Int
            var warmup: Int
            var productPlan: Plan
            var exactPlan: Plan
            var productScans: BenchmarkQueries.Scans
            var exactScans: BenchmarkQueries.Scans
            var hnsw: Latency
            var exact: Latency
            /// Exact p50 / HNSW p50.
            var ratio: Double
            var recallAt10: Double
            var worstRecall: Double
            var queriesWithFullRecall: Int
            /// Mean distance of the exact k-th neighbour (k = limit) and of the HNSW one.
            var exactKthDistance: Double
            var hnswKthDistance: Double
            var misses: [Miss]
            var sweep: [Sweep]
        }

        func run() async throws {
            try await reportingErrors {
                guard clips >= 2, dimension >= 1, dimension <= 2000, sources >= 1, centres >= 1,
                      queries >= 1, warmup >= 0, limit >= 1, spread >= 0 else {
                    throw CommandFailure("need --clips ≥ 2, 1 ≤ --dimension ≤ 2000, --sources ≥ 1, --centres ≥ 1, "
                                         + "--queries ≥ 1, --warmup ≥ 0, --limit ≥ 1, --spread ≥ 0")
                }
                let sweepValues = try efSearch.split(separator: ",").map { item -> Int in
                    guard let value = Int(item.trimmingCharacters(in: .whitespaces)), (1...1000).contains(value) else {
                        throw CommandFailure("--ef-search: \"\(item)\" is not a number from 1 to 1000")
                    }
                    return value
                }
                let sources = min(self.sources, clips)
                guard clips >= queries + warmup + limit + 1 else {
                    throw CommandFailure("--clips must exceed --queries + --warmup + --limit")
                }
                let startLoad = Self.loadAverage()
                let config = try global.load()
                let database = try DatabaseServer.forConfig(config)
                let db = try await database.prepareConnection()
                let tag = "\(getpid())-\(Int(Date().timeIntervalSince1970))"
                let model = "bench-similarity-\(tag)"
                let about = "heaters bench similarity: \(centres) clustered centres, noise \(spread)"
                let description = "\(centres) random centres (Gaussian directions, normalised); each clip takes one at random "
                    + "and adds Gaussian noise of norm ≈ \(spread) (σ = \(spread)/√\(dimension) per coordinate); the sum "
                    + "L2-normalised. Generated in the server (setseed, random_normal)."

                // Load: sources, clips, vectors; the index after the vectors unless --index-first.
                var ids: [Int64] = []
                var clipsSeconds = 0.0, vectorsSeconds = 0.0
                let load = try BenchCommand.time {
                    clipsSeconds = try BenchCommand.time {
                        ids = try BenchmarkQueries.similarityClips(db, uri: "bench://similarity/\(tag)", sources: sources,
                                                                   clips: clips, length: 50)
                    }
                    if indexFirst {
                        try EmbeddingQueries.register(db, model: model, dimension: dimension, version: "1", description: about)
                    } else {
                        try BenchmarkQueries.declareModelWithoutIndex(db, model: model, dimension: dimension, version: "1",
                                                                      description: about)
                    }
                    var stored = 0
                    vectorsSeconds = try BenchCommand.time {
                        stored = try BenchmarkQueries.loadClusteredVectors(
                            db, uri: "bench://similarity/\(tag)", model: model, dimension: dimension, centres: centres,
                            spread: spread, seed: Double(seed % 1_000_000) / 1_000_000)
                    }
                    guard stored == clips else { throw CommandFailure("stored \(stored) vectors for \(clips) clips") }
                }
                if let maintenanceWorkMem { try BenchmarkQueries.setMaintenanceWorkMem(db, maintenanceWorkMem) }
                let workMem = try BenchmarkQueries.setting(db, "maintenance_work_mem")
                let workers = try BenchmarkQueries.setting(db, "max_parallel_maintenance_workers")
                var build: Double?
                if !indexFirst {
                    build = try BenchCommand.time {
                        try EmbeddingQueries.register(db, model: model, dimension: dimension, version: "1", description: about)
                    }
                }
                try BenchmarkQueries.analyzeEmbeddings(db)
                guard let index = try BenchmarkQueries.modelIndex(db, model: model) else {
                    throw CommandFailure("heaters_register_embedding_model left model \(model) without an index")
                }
                let tableBytes = try BenchmarkQueries.embeddingsTableBytes(db)

                // Query clips: a fixed-seed shuffle; the warm-up ones first, then the timed ones.
                var generator = SplitMix64(seed: seed)
                let picks = Array(ids.shuffled(using: &generator).prefix(warmup + queries))
                let timed = Array(picks.dropFirst(warmup))

                // Plans, and what the real calls did by the server's counters.
                let probe = timed[0]
                try BenchmarkQueries.createSimilarMirror(db)
                let productPlan = try Self.nodes(BenchmarkQueries.explainProductSimilar(db, clipID: probe, model: model, limit: limit))
                let exactPlan = try Self.nodes(BenchmarkQueries.explainExactSimilar(db, clipID: probe, model: model, limit: limit))
                let productScans = try BenchmarkQueries.scans(db, clipID: probe, model: model, limit: limit, exact: false)
                let exactScans = try BenchmarkQueries.scans(db, clipID: probe, model: model, limit: limit, exact: true)
                let productUsesIndex = productPlan.contains { $0.contains("Index Scan using \(index.name) ") }
                    && productScans.modelIndexScans >= 1 && productScans.embeddingsSequentialScans == 0
                let exactScansTable = exactPlan.contains { $0.contains("Seq Scan on embeddings") }
                    && !exactPlan.contains { $0.contains(index.name) }
                    && exactScans.modelIndexScans == 0 && exactScans.embeddingsSequentialScans >= 1

                func latency(_ values: [Double]) -> Latency {
                    let p = BenchCommand.percentiles(values)
                    return Latency(p50Ms: p.p50, p95Ms: p.p95, meanMs: values.reduce(0, +) / Double(max(values.count, 1)))
                }
                func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
                for clip in picks.prefix(warmup) {
                    _ = try EmbeddingQueries.similar(db, clipID: clip, model: model, limit: limit)
                    _ = try BenchmarkQueries.exactSimilar(db, clipID: clip, model: model, limit: limit)
                }
                var hnswTimes: [Double] = [], exactTimes: [Double] = [], recalls: [Double] = []
                var hnswKth: [Double] = [], exactKth: [Double] = [], truths: [[Int64]] = [], misses: [Miss] = []
                // Two passes, the product's then the reference's: an exact scan between two HNSW queries
                // would leave the next one with cold CPU caches, which is not how queries arrive.
                var answers: [[EmbeddingQueries.Neighbour]] = []
                for clip in timed {
                    var neighbours: [EmbeddingQueries.Neighbour] = []
                    hnswTimes.append(try BenchCommand.time {
                        neighbours = try EmbeddingQueries.similar(db, clipID: clip, model: model, limit: limit)
                    } * 1000)
                    answers.append(neighbours)
                }
                for (clip, approximate) in zip(timed, answers) {
                    var truth: [EmbeddingQueries.Neighbour] = []
                    exactTimes.append(try BenchCommand.time {
                        truth = try BenchmarkQueries.exactSimilar(db, clipID: clip, model: model, limit: limit)
                    } * 1000)
                    guard !truth.isEmpty else { throw CommandFailure("the exact scan found no neighbour of clip \(clip)") }
                    let found = Set(approximate.map(\.clipID))
                    recalls.append(Double(truth.filter { found.contains($0.clipID) }.count) / Double(truth.count))
                    exactKth.append(truth.last!.distance)
                    hnswKth.append(approximate.last?.distance ?? .nan)
                    truths.append(truth.map(\.clipID))
                    if recalls.last! < 1 {
                        misses.append(Miss(clip: clip, recall: recalls.last!, returned: approximate.count,
                                           exactKthDistance: truth.last!.distance, hnswKthDistance: approximate.last?.distance))
                    }
                }
                var sweep: [Sweep] = []
                for ef in sweepValues {
                    var times: [Double] = [], found: [Double] = []
                    for (clip, truth) in zip(timed, truths) {
                        var neighbours: [EmbeddingQueries.Neighbour] = []
                        times.append(try BenchCommand.time {
                            neighbours = try BenchmarkQueries.similarAtEfSearch(db, clipID: clip, model: model, limit: limit,
                                                                                efSearch: ef)
                        } * 1000)
                        let ids = Set(neighbours.map(\.clipID))
                        found.append(Double(truth.filter { ids.contains($0) }.count) / Double(truth.count))
                    }
                    sweep.append(Sweep(efSearch: ef, latency: latency(times), recallAt10: mean(found),
                                       worstRecall: found.min() ?? 0, queriesWithFullRecall: found.filter { $0 == 1 }.count))
                }

                let hnsw = latency(hnswTimes), exact = latency(exactTimes)
                let endLoad = Self.loadAverage()
                let report = Report(
                    data: .init(clips: clips, sources: sources, dimension: dimension, centres: centres, spread: spread,
                                seed: seed, description: description, tableBytes: tableBytes),
                    model: model, indexFirst: indexFirst,
                    loadAverage: startLoad.flatMap { start in endLoad.map { [start, $0] } },
                    loadSeconds: load, clipsSeconds: clipsSeconds,
                    vectorsSeconds: vectorsSeconds,
                    index: .init(name: index.name, definition: index.definition, options: index.options, bytes: index.bytes,
                                 buildSeconds: build, maintenanceWorkMem: workMem, maxParallelMaintenanceWorkers: workers),
                    efSearch: productScans.efSearch, limit: limit, queries: timed.count, warmup: warmup,
                    productPlan: Plan(nodes: productPlan, ok: productUsesIndex),
                    exactPlan: Plan(nodes: exactPlan, ok: exactScansTable),
                    productScans: productScans, exactScans: exactScans, hnsw: hnsw, exact: exact,
                    ratio: exact.p50Ms / max(hnsw.p50Ms, 1e-9), recallAt10: mean(recalls), worstRecall: recalls.min() ?? 0,
                    queriesWithFullRecall: recalls.filter { $0 == 1 }.count,
                    exactKthDistance: mean(exactKth), hnswKthDistance: mean(hnswKth), misses: misses, sweep: sweep)
                if json {
                    print(try CommandOutput.json(report))
                } else {
                    Self.printReport(report)
                }
                if !productUsesIndex || !exactScansTable {
                    throw CommandFailure((productUsesIndex ? "" : "the product's query did not use the model's HNSW index alone; ")
                                         + (exactScansTable ? "" : "the reference was not a sequential scan of embeddings; ")
                                         + "the figures do not compare what they claim to")
                }
            }
        }

        static func printReport(_ r: Report) {
            let mib = { (bytes: Int64) in String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
            print("similarity search: \(r.data.clips) clips over \(r.data.sources) sources, one \(r.data.dimension)-d vector each "
                  + "under model \(r.model)")
            print("data: " + r.data.description + " seed \(r.data.seed).")
            print(String(format: "load: %.1f s (sources and clips %.1f s, vectors %.1f s)%@; embeddings table %@", r.loadSeconds,
                         r.clipsSeconds, r.vectorsSeconds,
                         (r.indexFirst ? ", the HNSW index maintained row by row (--index-first)" : "") as NSString,
                         mib(r.data.tableBytes) as NSString))
            let options = r.index.options?.joined(separator: ", ") ?? "none: pgvector's defaults m = 16, ef_construction = 64"
            print("HNSW index \(r.index.name) (options \(options)), \(mib(r.index.bytes)): "
                  + (r.index.buildSeconds.map { String(format: "built in %.1f s by heaters_register_embedding_model", $0) }
                     ?? "grown during the load")
                  + " (maintenance_work_mem \(r.index.maintenanceWorkMem ?? "?"), "
                  + "max_parallel_maintenance_workers \(r.index.maxParallelMaintenanceWorkers ?? "?"))")
            print("ef_search the product sets (heaters_similar_clips, limit \(r.limit)): \(r.efSearch ?? "?")")
            print("plan of heaters_similar_clips' statement" + (r.productPlan.ok ? "" : " (NOT using the model's HNSW index)") + ":")
            r.productPlan.nodes.forEach { print("    " + $0) }
            print("plan of the exact scan (reference)" + (r.exactPlan.ok ? "" : " (NOT a sequential scan)") + ":")
            r.exactPlan.nodes.forEach { print("    " + $0) }
            print("server counters of one call each (index scans of \(r.index.name) / sequential scans of embeddings): "
                  + "product \(r.productScans.modelIndexScans) / \(r.productScans.embeddingsSequentialScans), "
                  + "exact \(r.exactScans.modelIndexScans) / \(r.exactScans.embeddingsSequentialScans)")
            print("\(r.queries) queries (after \(r.warmup) not counted), query clips by seed \(r.data.seed), \(r.limit) neighbours, "
                  + "the query clip left out of both; ms")
            func label(_ text: String) -> String { text.padding(toLength: 40, withPad: " ", startingAt: 0) }
            print(label("HNSW (EmbeddingQueries.similar)") + String(format: "p50 %8.3f   p95 %8.3f", r.hnsw.p50Ms, r.hnsw.p95Ms))
            print(label("exact scan, same table (reference)") + String(format: "p50 %8.3f   p95 %8.3f   ratio %.1f",
                                                                        r.exact.p50Ms, r.exact.p95Ms, r.ratio))
            print("(ratio = exact p50 / HNSW p50: how many times faster the index answers)")
            print(String(format: "recall@%d: %.4f (mean; %d of %d queries with all %d, worst %.1f); mean cosine distance of the "
                         + "%dth neighbour: exact %.4f, HNSW %.4f", r.limit, r.recallAt10, r.queriesWithFullRecall, r.queries,
                         r.limit, r.worstRecall, r.limit, r.exactKthDistance, r.hnswKthDistance))
            if !r.misses.isEmpty {
                print("queries missing some of the exact top \(r.limit) (clip: recall, \(r.limit)th distance exact / HNSW): "
                      + r.misses.sorted { $0.recall < $1.recall }.prefix(12).map {
                          String(format: "%lld: %.1f, %.3f / %.3f", $0.clip, $0.recall, $0.exactKthDistance, $0.hnswKthDistance ?? .nan)
                      }.joined(separator: "; ") + (r.misses.count > 12 ? "; …" : ""))
            }
            if !r.sweep.isEmpty {
                print("the product's statement at other hnsw.ef_search values (set by the bench), on the same query clips again, whose index "
                      + "pages the first pass has brought into shared buffers: compare these times with each other, not with the "
                      + "first pass")
                print(label("  ef_search \(r.efSearch ?? "?") (the product, above)") + String(format: "p50 %8.3f   p95 %8.3f   recall@%d %.4f, %d full, worst %.1f",
                      r.hnsw.p50Ms, r.hnsw.p95Ms, r.limit, r.recallAt10, r.queriesWithFullRecall, r.worstRecall))
                for row in r.sweep {
                    print(label("  ef_search \(row.efSearch)") + String(format: "p50 %8.3f   p95 %8.3f   recall@%d %.4f, %d full, worst %.1f",
                          row.latency.p50Ms, row.latency.p95Ms, r.limit, row.recallAt10, row.queriesWithFullRecall, row.worstRecall))
                }
            }
            if let load = r.loadAverage {
                print(String(format: "machine load (1-minute average) %.2f at the start, %.2f at the end", load[0], load[1]))
            }
        }

        /// The 1-minute load average from /proc/loadavg.
        static func loadAverage() -> Double? {
            guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
            return text.split(separator: " ").first.flatMap { Double($0) }
        }

        /// EXPLAIN (FORMAT JSON) → node names depth-first, e.g. "  Index Scan using X on embeddings e".
        static func nodes(_ plan: String) throws -> [String] {
            guard let top = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]],
                  let root = top.first?["Plan"] as? [String: Any] else { throw CommandFailure("unreadable plan: \(plan)") }
            var lines: [String] = []
            func walk(_ node: [String: Any], _ depth: Int) {
                var name = node["Node Type"] as? String ?? "?"
                if let index = node["Index Name"] as? String { name += " using \(index)" }
                if let relation = node["Relation Name"] as? String {
                    name += " on \(relation)"
                    if let alias = node["Alias"] as? String, alias != relation { name += " \(alias)" }
                }
                if let order = node["Order By"] as? String { name += " (order by \(order))" }
                if let keys = node["Sort Key"] as? [String] { name += " (\(keys.joined(separator: ", ")))" }
                if let parent = node["Parent Relationship"] as? String, parent == "SubPlan" || parent == "InitPlan" {
                    name += " [\(parent)]"
                }
                lines.append(String(repeating: "  ", count: depth) + name)
                for child in node["Plans"] as? [[String: Any]] ?? [] { walk(child, depth + 1) }
            }
            walk(root, 0)
            return lines
        }
    }
}

/// A small seeded generator (SplitMix64), so the same --seed picks the same query clips.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
