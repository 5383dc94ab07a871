using LanguageExt;

namespace Lab.Stages.Core;

/// <summary>Problems that name where they happened.</summary>
public static class ProblemAt
{
    /// <summary>The result, its problem prefixed with <paramref name="place"/> (a file or folder).</summary>
    public static Either<Problem, T> At<T>(this Either<Problem, T> result, string place)
        => result.MapLeft(p => p with { What = $"{place}: {p.What}" });
}
