namespace Lab.Stages.Core;

/// <summary>A failure the user can act on: what went wrong (naming the file or value) and how to fix it.</summary>
public sealed record Problem(string What, string Fix = "")
{
    /// <summary>One line for the terminal.</summary>
    public override string ToString() => Fix.Length == 0 ? What : $"{What} — {Fix}";
}
