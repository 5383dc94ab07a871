using Lab.Stages.Domains.Nmt;

namespace Lab.Tests;

/// <summary>Random sentence pairs for the translation properties (ids ≥ 4, so no special tokens).</summary>
static class NmtTestData
{
    public static NmtPair[] RandomPairs(Random rng, int n, int v) => Enumerable.Range(0, n).Select(_ =>
        new NmtPair(Enumerable.Range(0, 1 + rng.Next(7)).Select(_ => 4 + rng.Next(v - 4)).ToArray(),
                    Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => 4 + rng.Next(v - 4)).ToArray())).ToArray();
}
