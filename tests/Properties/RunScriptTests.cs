using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace Lab.Tests;

public class RunScriptTests
{
    static string Script => Path.Combine(Lab.Pipeline.Paths.RepoRoot(), "run.ps1");

    [Fact]
    public void Run_ps1_parses_without_errors()
    {
        Parser.ParseFile(Script, out _, out var errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void Run_ps1_passes_the_translation_options()
    {
        using var ps = PowerShell.Create(InitialSessionState.CreateDefault2());
        ps.AddCommand(Script).AddParameter("Domain", "nmt").AddParameter("Arch", "all").AddParameter("Reverse").AddParameter("DryRun");
        var line = Assert.Single(ps.Invoke().Select(o => o.ToString()));
        Assert.EndsWith("--domain nmt --preset default --device auto --threads 0 --seed 1 --arch all --reverse", line);
    }

    [Fact]
    public void Run_ps1_dry_run_builds_the_pipeline_command_in_a_hosted_engine()
    {
        using var ps = PowerShell.Create(InitialSessionState.CreateDefault2());
        ps.AddCommand(Script).AddParameter("Domain", "lm").AddParameter("Preset", "smoke").AddParameter("Out", "/tmp/x y")
          .AddParameter("Seed", 7L).AddParameter("DryRun");
        var output = ps.Invoke().Select(o => o.ToString()).ToList();
        Assert.False(ps.HadErrors, string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
        var line = Assert.Single(output);
        Assert.StartsWith("dotnet run --project ", line);
        Assert.Contains("pipeline.csproj -c Release -- run --domain lm --preset smoke --device auto --threads 0 --seed 7", line);
        Assert.Contains("--out /tmp/x y", line);
        Assert.DoesNotContain("--data", line);
        Assert.DoesNotContain("--arch", line);
        var exit = ps.Runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
        Assert.Equal(0, Convert.ToInt32(exit));
    }
}

/// <summary>A fact skipped, with the reason, where PowerShell (pwsh) is not installed (.ci/run installs it as a .NET tool).</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public static string? Pwsh => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
        .Select(d => Path.Combine(d, "pwsh")).FirstOrDefault(File.Exists);

    public PwshFactAttribute()
    {
        if (Pwsh is null) Skip = "pwsh is not installed: dotnet tool install --global PowerShell --version 7.6.10 (.ci/run does it)";
    }
}

/// <summary>The design card's entry point for real: `pwsh ./run.ps1` runs the study, refuses bad options with exit
/// code 2 and prints the command with -DryRun.</summary>
[Collection("smoke run")]
public class PwshRunScriptTests(SmokeRunFixture smoke)
{
    static (int Code, string Out, string Err) Pwsh(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(PwshFactAttribute.Pwsh!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(Lab.Pipeline.Paths.RepoRoot(), "run.ps1") }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    [PwshFact]
    public void Pwsh_run_ps1_runs_the_smoke_study_to_the_same_result()
    {
        Assert.Equal(0, smoke.ExitCode);
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-pwsh-{Guid.NewGuid():N}");
        var (code, output, err) = Pwsh("-Domain", "lm", "-Preset", "smoke", "-Data", smoke.Data, "-Out", outDir, "-Threads", "1", "-Seed", SmokeRunFixture.Seed.ToString());
        Assert.True(code == 0, $"exit {code}: {err}\n{output[^Math.Min(2000, output.Length)..]}");
        Assert.Equal(Faults.StudySignature.Of(smoke.Out), Faults.StudySignature.Of(outDir));
        Directory.Delete(outDir, true);
    }

    [PwshFact]
    public void Pwsh_run_ps1_refuses_bad_options_with_exit_code_2()
    {
        foreach (var args in new[] { new[] { "-Domain", "lm", "-Frobnicate", "3" }, ["-Domain", "lm", "-Threads", "many"], ["-Domain", "lm", "-Seed", "1.5"] })
        {
            var (code, _, err) = Pwsh(args);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}: {err}");
            Assert.Contains("error:", err);
        }
        // a bad value the pipeline itself refuses comes back with its exit code
        var (unknown, _, unknownErr) = Pwsh("-Domain", "nosuchdomain", "-Preset", "smoke", "-Out", Path.Combine(Path.GetTempPath(), $"lab-pwsh-bad-{Guid.NewGuid():N}"));
        Assert.True(unknown == 2, $"exit {unknown}: {unknownErr}");
    }

    [PwshFact]
    public void Pwsh_run_ps1_dry_run_prints_the_command()
    {
        var (code, output, err) = Pwsh("-Domain", "nmt", "-Arch", "all", "-Reverse", "-StartOver", "-TargetError", "3.5", "-DryRun");
        Assert.True(code == 0, err);
        Assert.EndsWith("--domain nmt --preset default --device auto --threads 0 --seed 1 --arch all --target-error 3.5 --reverse --start-over", output.Trim());
    }
}
