using System.CommandLine;
using Lab.Pipeline.Domains;
using Opt = System.CommandLine;

namespace Lab.Pipeline;

/// <summary>The command line: `pipeline run`, `prepare`, `plan`, `trial`, `advance`, `gather`, `submit`, `bench`, `fit`, `fit-bench`, `reeval`. Exit codes: 0 done, 1 some trial failed, 2 bad input, 3 a file could not be written or read (disk full, read-only), 4 the study folder is in use by another process, 130/143 stopped by SIGINT/SIGTERM (resumable).</summary>
public static class Cli
{
    /// <summary>Parses and runs; returns the exit code.</summary>
    public static async Task<int> Run(string[] args, TextWriter? errors = null, TextWriter? stdout = null)
    {
        // Everything the product writes (ids, names, metadata, tables, reports) reads the same under every locale; the
        // caller's culture is restored when this async method returns.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        Reporter NewReporter(bool quiet) => new(quiet, errors, stdout);
        Interrupts.Install(line => (errors ?? Console.Error).WriteLine(line));
        Interrupts.Command = "pipeline " + string.Join(' ', args.Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : $"'{a.Replace("'", "'\\''")}'"));
        var domain = new System.CommandLine.Option<string>("--domain") { Description = $"domain to study ({DomainRegistry.Names})", Required = true };
        var preset = new System.CommandLine.Option<string>("--preset") { Description = "smoke | default | full, or a preset file of your own (JSON with the values of data/presets/<domain>.json; kept in the study folder)", DefaultValueFactory = _ => "default" };
        var data = new System.CommandLine.Option<string?>("--data") { Description = DataHelp() };
        var output = new System.CommandLine.Option<string?>("--out") { Description = "output folder (default artifacts/<domain>)" };
        var device = new System.CommandLine.Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        var threads = new System.CommandLine.Option<int>("--threads") { Description = "torch and ONNX Runtime threads (default: all cores)", DefaultValueFactory = _ => 0 };
        var seed = new System.CommandLine.Option<long>("--seed") { Description = "seed of splits, shards, initialisation and batching", DefaultValueFactory = _ => 1 };
        var quiet = new System.CommandLine.Option<bool>("--quiet") { Description = "no progress lines" };
        var reverse = new System.CommandLine.Option<bool>("--reverse") { Description = "translation: from the second language into the first" };
        var arch = new System.CommandLine.Option<string>("--arch") { Description = ArchHelp(), DefaultValueFactory = _ => "default" };

        var target = new System.CommandLine.Option<double?>("--target-error") { Description = "project the data, best-fit model size and training compute needed for this error (of the primary metric in a study); the errors at 2x and 4x the data are always projected" };

        var repeats = new System.CommandLine.Option<int>("--repeats") { Description = "bench: repetitions of every figure after a warm-up", DefaultValueFactory = _ => 3 };
        var benchModel = new System.CommandLine.Option<string?>("--model") { Description = "bench: only the models whose name contains this" };
        var ortProvider = new System.CommandLine.Option<string>("--provider") { Description = "ONNX Runtime execution provider for the evaluations: auto (CUDA when it loads, else the CPU) | cpu | cuda", DefaultValueFactory = _ => "auto" };
        var jobs = new System.CommandLine.Option<int>("--jobs") { Description = "trials of a round trained at once, each in a worker process with --threads / jobs threads (default 1: one at a time with all threads)", DefaultValueFactory = _ => 1 };
        var startOver = new System.CommandLine.Option<bool>("--start-over") { Description = "the --out folder holds a study of other data, preset or seed: move it aside into <out>/superseded/ (nothing is deleted) and start this one" };

        Command Study(string name, string description, Func<IDomainRunner, RunOptions, Reporter, Task<Either<Problem, int>>> act, params Option[] extra)
        {
            var c = new Command(name, description) { domain, preset, data, output, device, threads, seed, reverse, arch, target, quiet };
            foreach (var e in extra) c.Add(e);
            c.SetAction(async (pr, ct) =>
            {
                var reporter = NewReporter(pr.GetValue(quiet));
                var d = pr.GetValue(domain)!;
                var o = new RunOptions(d, pr.GetValue(preset)!, pr.GetValue(data), pr.GetValue(output) ?? Path.Combine("artifacts", d.ToLowerInvariant()),
                    pr.GetValue(device)!, pr.GetValue(threads), pr.GetValue(seed), pr.GetValue(reverse), pr.GetValue(arch)!, pr.GetValue(target),
                    extra.Contains(repeats) ? pr.GetValue(repeats) : 3, extra.Contains(benchModel) ? pr.GetValue(benchModel) : null,
                    extra.Contains(startOver) && pr.GetValue(startOver), extra.Contains(ortProvider) ? pr.GetValue(ortProvider)! : "auto",
                    extra.Contains(jobs) ? pr.GetValue(jobs) : 1);
                return await IntoFolder(o.Out, reporter, () => DomainRegistry.Find(d)
                    .Bind(r => (extra.Contains(ortProvider) ? Provider(o.Provider, reporter) : Right<Problem, string>("cpu")).Map(_ => r))
                    .BindAsync(r => act(r, o, reporter)));
            });
            return c;
        }

        var curves = new System.CommandLine.Option<string>("--curves") { Description = "CSV or Parquet with columns curve, m, error [, split, params]", Required = true };
        var holdout = new System.CommandLine.Option<int>("--holdout-last") { Description = "hold out the K largest sizes of each curve (when there is no split column)", DefaultValueFactory = _ => 0 };
        var family = new System.CommandLine.Option<string>("--family") { Description = "auto | power | power-irreducible | saturating | broken", DefaultValueFactory = _ => "auto" };
        var bootstrap = new System.CommandLine.Option<int>("--bootstrap") { Description = "bootstrap resamples for the intervals", DefaultValueFactory = _ => 1000 };
        var bestGuess = new System.CommandLine.Option<double?>("--best-guess") { Description = "the domain's best-guess error (ln V, 1-1/K), for the regions" };
        var fitOut = new System.CommandLine.Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("artifacts", "fit") };
        var fitSeed = new System.CommandLine.Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 17 };
        var horizon = new System.CommandLine.Option<double?>("--horizon") { Description = "how far (x the largest fitted size) the family selection's backtests predict; default: the held-out points' reach, else 2 (the next doubling)" };
        var fit = new Command("fit", "fit learning curves from a CSV or Parquet file: families, selection, intervals, regions, projections, plots")
            { curves, holdout, family, bootstrap, target, bestGuess, fitOut, fitSeed, horizon, quiet };
        fit.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var o = new Fitting.FitOptions(pr.GetValue(curves)!, pr.GetValue(holdout), pr.GetValue(family)!, pr.GetValue(bootstrap),
                pr.GetValue(target), pr.GetValue(bestGuess), pr.GetValue(fitOut)!, pr.GetValue(fitSeed), pr.GetValue(horizon));
            return await IntoFolder(o.Out, reporter, () => Fitting.FitCommand.Run(o, reporter));
        });

        var benchResamples = new System.CommandLine.Option<int>("--bootstrap") { Description = "bootstrap resamples", DefaultValueFactory = _ => 1000 };
        var fitBench = new Command("fit-bench", "time the fit of a 10-point curve with every family and the bootstrap") { benchResamples };
        fitBench.SetAction(pr => Fitting.FitBench.Run(pr.GetValue(benchResamples), NewReporter(false)));

        var perCell = new System.CommandLine.Option<int>("--per-cell") { Description = "curves per kind x layout x noise level", DefaultValueFactory = _ => 4 };
        var calResamples = new System.CommandLine.Option<int>("--bootstrap") { Description = "bootstrap resamples per fit", DefaultValueFactory = _ => 200 };
        var calSeed = new System.CommandLine.Option<int>("--seed") { Description = "the suite's seed", DefaultValueFactory = _ => 2026 };
        var calOut = new System.CommandLine.Option<string>("--out") { Description = "folder of calibration.parquet (one row per curve)", DefaultValueFactory = _ => Path.Combine("artifacts", "fit-calibrate") };
        var fitCalibrate = new Command("fit-calibrate", "the fitter's calibration suite: coverage of the 95% band and extrapolation error by kind of curve") { perCell, calResamples, calSeed, calOut };
        fitCalibrate.SetAction((pr, ct) => Fitting.FitCalibration.Run(pr.GetValue(perCell), pr.GetValue(calResamples), pr.GetValue(calSeed), pr.GetValue(calOut)!, NewReporter(false)));
        var models = new System.CommandLine.Option<string[]>("--models") { Description = "ONNX files, folders of them, or trials.parquet files", Required = true, AllowMultipleArgumentsPerToken = true };
        var provider = new System.CommandLine.Option<string>("--provider") { Description = "auto | cpu | cuda (ONNX Runtime execution provider)", DefaultValueFactory = _ => "auto" };
        var reevalData = new System.CommandLine.Option<string?>("--data") { Description = "the data to rebuild the evaluation set from (default: the shipped corpus, when the model was trained on it)" };
        var batch = new System.CommandLine.Option<int>("--batch") { Description = "evaluation batch (default: the one recorded in the model)", DefaultValueFactory = _ => 0 };
        var reevalOut = new System.CommandLine.Option<string>("--out") { Description = "folder of reevals.parquet", DefaultValueFactory = _ => Path.Combine("artifacts", "reeval") };
        var allowData = new System.CommandLine.Option<bool>("--allow-different-data") { Description = "evaluate even when the data's fingerprint differs from the model's" };
        var reeval = new Command("reeval", "re-evaluate archived ONNX models on this machine and append to reevals.parquet")
            { models, provider, reevalData, batch, reevalOut, threads, allowData, quiet };
        reeval.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var o = new Reeval.ReevalOptions(pr.GetValue(models)!, pr.GetValue(provider)!, pr.GetValue(reevalData), pr.GetValue(batch),
                pr.GetValue(reevalOut)!, pr.GetValue(threads), pr.GetValue(allowData));
            return await IntoFolder(o.Out, reporter, () => Reeval.ReevalCommand.Run(o, reporter));
        });

        var planOut = new System.CommandLine.Option<string>("--out") { Description = "study folder (plan.parquet, prepared data, trial results)", Required = true };
        var plan = new Command("plan", "prepare the data once, write the search space (space.parquet) and the search's first round (plan.parquet)") { domain, preset, data, planOut, device, seed, reverse, arch, startOver, quiet };
        plan.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var o = new RunOptions(pr.GetValue(domain)!, pr.GetValue(preset)!, pr.GetValue(data), pr.GetValue(planOut)!, pr.GetValue(device)!, 0, pr.GetValue(seed), pr.GetValue(reverse), pr.GetValue(arch)!,
                StartOver: pr.GetValue(startOver));
            return await IntoFolder(o.Out, reporter, () => DomainRegistry.Find(o.Domain).BindAsync(async r => (await Lab.Pipeline.Study.StudyRunner.Plan(r, o, reporter)).Map(_ => 0)));
        });
        var planFile = new System.CommandLine.Option<string>("--plan") { Description = "the study's plan.parquet", Required = true };
        var index = new System.CommandLine.Option<int?>("--index") { Description = "the trial's index in the plan (default: $SLURM_ARRAY_TASK_ID)" };
        var trial = new Command("trial", "run exactly one trial of a plan (skipped when it finished before)") { planFile, index, threads, ortProvider, quiet };
        trial.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var result = await Provider(pr.GetValue(ortProvider)!, reporter)
                .BindAsync(_ => Lab.Pipeline.Study.StudyRunner.Trial(pr.GetValue(planFile)!, pr.GetValue(index), pr.GetValue(threads), reporter));
            return result.Match(code => code, problem => { reporter.Error(problem.ToString()); return problem.ExitCode; });
        });
        var gather = new Command("gather", "union the finished trials of a plan, fit the curve, list missing or failed trials") { planFile, target, quiet };
        gather.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var result = await Lab.Pipeline.Study.StudyRunner.Gather(Lab.Pipeline.Study.StudyFiles.OfPlan(pr.GetValue(planFile)!), reporter, targetError: pr.GetValue(target));
            return result.Match(code => code, problem => { reporter.Error(problem.ToString()); return problem.ExitCode; });
        });
        var advance = new Command("advance", "replay the best-fit search over the finished trials and append its next round to plan.parquet (prints the indices to run; none when the search has concluded)") { planFile, quiet };
        advance.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var files = Lab.Pipeline.Study.StudyFiles.OfPlan(pr.GetValue(planFile)!);
            var result = await Lab.Pipeline.Study.StudyRunner.Exclusive(files.Dir, "advance", reporter, TimeSpan.FromMinutes(10),
                () => Lab.Pipeline.Study.StudyRunner.Advance(files, reporter),
                () => File.Exists(files.Space) ? unit : new Problem($"{files.Space}: no such file", "run `pipeline plan` first"));
            return result.Match(a => { reporter.Plain(string.Join(' ', a.Next.Select(r => r.Index))); return 0; },
                problem => { reporter.Error(problem.ToString()); return problem.ExitCode; });
        });
        var slurm = new System.CommandLine.Option<bool>("--slurm") { Description = "submit to Slurm (the only scheduler supported)", Required = true };
        var partition = new System.CommandLine.Option<string?>("--partition") { Description = "Slurm partition" };
        var cpus = new System.CommandLine.Option<int>("--cpus-per-task") { Description = "CPUs (and torch threads) per trial", DefaultValueFactory = _ => 1 };
        var gpus = new System.CommandLine.Option<int>("--gpus-per-task") { Description = "GPUs per trial", DefaultValueFactory = _ => 0 };
        var maxParallel = new System.CommandLine.Option<int>("--max-parallel") { Description = "at most K array tasks at once", DefaultValueFactory = _ => 0 };
        var time = new System.CommandLine.Option<string?>("--time") { Description = "Slurm time limit per job, e.g. 01:00:00" };
        var dryRun = new System.CommandLine.Option<bool>("--dry-run") { Description = "only write the sbatch scripts" };
        var command = new System.CommandLine.Option<string?>("--command") { Description = "how jobs start the pipeline (default: dotnet <this pipeline.dll>)" };
        var submit = new Command("submit", "run the search on Slurm: the next round as a job array plus a dependent job that submits the round after it (gather when the search has concluded)") { planFile, slurm, partition, cpus, gpus, maxParallel, time, dryRun, command, quiet };
        submit.SetAction(async (pr, ct) =>
        {
            var reporter = NewReporter(pr.GetValue(quiet));
            var o = new Lab.Pipeline.Study.SubmitOptions(pr.GetValue(planFile)!, pr.GetValue(partition), pr.GetValue(cpus), pr.GetValue(gpus),
                pr.GetValue(maxParallel), pr.GetValue(time), pr.GetValue(dryRun), pr.GetValue(command));
            var result = await Lab.Pipeline.Study.SlurmSubmit.Run(o, reporter);
            return result.Match(code => code, problem => { reporter.Error(problem.ToString()); return problem.ExitCode; });
        });

        var root = new RootCommand("Learning-curve laboratory: how error falls as training data grows (Hestness et al. 2017).")
        {
            Study("run", "subset, train, export to ONNX, evaluate with ONNX Runtime, fit the learning curve", (r, o, rep) => Lab.Pipeline.Study.StudyRunner.Run(r, o, rep), startOver, ortProvider, jobs),
            Study("prepare", "make the domain's default data where it is generated (speech: synthesise the corpus; prints its folder)", (r, o, rep) => Task.FromResult(r.Prepare(o, rep))),
            Study("bench", "throughput of the domain's models (training step, training loop, TorchSharp and ONNX Runtime evaluation): warmed up, repeated (--repeats), median and range printed and written to bench.parquet in --out",
                (r, o, rep) => Lab.Pipeline.Study.BenchRunner.Run(r, o, o.Repeats, rep), repeats, benchModel, ortProvider),
            plan, trial, advance, gather, submit,
            fit,
            fitBench,
            fitCalibrate,
            reeval,
        };
        AtLeast(threads, 0, "0 (all cores) or a positive count"); AtLeast(repeats, 1, "1 or more"); AtLeast(holdout, 0, "0 or more"); AtLeast(bootstrap, 0, "0 or more");
        AtLeast(benchResamples, 0, "0 or more"); AtLeast(perCell, 1, "1 or more"); AtLeast(calResamples, 20, "20 or more (the band needs 20 refits)"); AtLeast(batch, 0, "0 (the recorded batch) or more"); AtLeast(cpus, 1, "1 or more");
        AtLeast(gpus, 0, "0 or more"); AtLeast(maxParallel, 0, "0 (no limit) or more"); AtLeast(index, 0, "0 or more"); AtLeast(jobs, 1, "1 or more");
        Positive(target, "a positive error in the metric's units"); Positive(bestGuess, "a positive error");
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) (errors ?? Console.Error).WriteLine($"error: {e.Message}");
            (errors ?? Console.Error).WriteLine("see: pipeline --help");
            return 2;
        }
        var err = errors ?? Console.Error;
        try { return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout ?? Console.Out, Error = err }); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the disk filled up, the folder is read-only or went away: say which file, keep everything written before
            err.WriteLine($"error: cannot write or read a file: {e.Message}");
            err.WriteLine("nothing finished before this is lost: free space or fix the folder's permissions, then run the same command again to resume");
            return 3;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a bug: shown whole (as System.CommandLine's own handler did), exit code 1
            err.WriteLine($"error: unexpected {e}");
            return 1;
        }
    }

    /// <summary>`--data`'s help: what each registered domain takes (domains that take the same listed together).</summary>
    public static string DataHelp() => "the data instead of the default: " + string.Join(", ",
        DomainRegistry.All.GroupBy(d => d.DataHelp).Select(g => $"{g.Key} ({string.Join(", ", g.Select(d => d.Name))})"));

    /// <summary>`--arch`'s help: each registered domain's families and its default.</summary>
    public static string ArchHelp() => "model families to train: " + string.Join("; ", DomainRegistry.All.Map(d => $"{d.Name} {d.ArchHelp}"));

    /// <summary>Runs a command that writes into <paramref name="outDir"/>: a refusal is reported (exit code 2), and an
    /// output folder that the refused command created and left empty is removed again (one with anything in it is kept).</summary>
    static async Task<int> IntoFolder(string outDir, Reporter reporter, Func<Task<LanguageExt.Either<Problem, int>>> command)
    {
        bool existed = Directory.Exists(outDir);
        var result = await command();
        return result.Match(code => code, problem =>
        {
            reporter.Error(problem.ToString());
            if (!existed && Paths.RemoveIfEmpty(outDir, Lab.Pipeline.Study.FolderLock.Folder) is string left) reporter.Error(left);
            return problem.ExitCode;
        });
    }

    /// <summary>Makes ONNX Runtime's provider the one sessions open on, and says which ran when auto fell back to the
    /// CPU; cuda that does not load is a problem naming what is missing (exit code 2).</summary>
    static Either<Problem, string> Provider(string asked, Reporter reporter)
        => Lab.Stages.Evaluate.OrtSessions.Use(asked).Map(p =>
        {
            if (asked == "auto" && p == "cpu" && Lab.Stages.Evaluate.OrtSessions.CudaProblem is { } why)
                reporter.Line($"ONNX Runtime provider: cpu ({why})");
            else reporter.Line($"ONNX Runtime provider: {p}");
            return p;
        });

    /// <summary>An integer option below its minimum is a parse error naming the option and the value (exit code 2).</summary>
    static void AtLeast<T>(System.CommandLine.Option<T> option, int min, string expected) => option.Validators.Add(r =>
    {
        var v = r.GetValueOrDefault<T>();
        if (v is int i && i < min) r.AddError($"{option.Name} {i}: must be {expected}");
    });

    /// <summary>A number option that must be positive and finite when given.</summary>
    static void Positive(System.CommandLine.Option<double?> option, string expected) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<double?>() is double v && !(v > 0 && double.IsFinite(v))) r.AddError($"{option.Name} {v}: must be {expected}");
    });
}
