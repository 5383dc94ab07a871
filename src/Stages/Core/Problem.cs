namespace Lab.Stages.Core;

/// <summary>A failure the user can act on: what went wrong (naming the file or value) and how to fix it.</summary>
public sealed record Problem(string What, string Fix = "")
{
    /// <summary>The process's exit code when this problem ends a command: 2 (bad input) unless it says otherwise (4: the
    /// study folder is in use; 130/143: interrupted by SIGINT/SIGTERM).</summary>
    public int ExitCode { get; init; } = 2;

    /// <summary>One line for the terminal.</summary>
    public override string ToString() => Fix.Length == 0 ? What : $"{What} — {Fix}";
}
