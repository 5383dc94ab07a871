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
