using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Language;

namespace Lab.Tests;

/// <summary>Vocabularies are values: equal units in equal order make equal vocabularies (the id index is derived, not
/// part of the value), and ids are positions.</summary>
public class LexiconTests
{
    [Property(MaxTest = 200)]
    public Property Equal_units_make_equal_vocabularies_and_ids_are_positions(NonEmptyArray<NonNull<string>> raw)
    {
        var units = raw.Get.Select(u => u.Get).Distinct(StringComparer.Ordinal).ToArray();
        var a = new Vocabulary(units);
        var b = new Vocabulary(units.ToList());   // another list object, the same units
        bool equal = a.Equals(b) && a == b && a.GetHashCode() == b.GetHashCode();
        bool ids = units.Select((u, i) => a.Id(u) == i).All(x => x) && a.Id("\\u0000absent\\u0000") == Vocabulary.Unk;
        var changed = new Vocabulary([.. units.Skip(1), $"unit {Guid.NewGuid():N}"]);
        bool differs = !a.Equals(changed) && !a.Equals(new NmtVocabulary(units));
        return (equal && ids && differs).Label($"{units.Length} units");
    }

    [Fact]
    public void Built_vocabularies_rank_by_frequency_with_ties_in_ordinal_order()
    {
        var v = Vocabulary.Build([["b", "a", "c", "a"], ["c", "d"]], size: 5);
        Assert.Equal(["<unk>", "<eos>", "a", "c", "b"], v.Words);
        var n = NmtVocabulary.Build(["y", "x", "y"]);
        Assert.Equal(["<pad>", "<unk>", "<s>", "</s>", "y", "x"], n.Pieces);
        Assert.Equal(NmtVocabulary.Unk, n.Id("z"));
        // a unit listed twice keeps its first id
        Assert.Equal(2, new Vocabulary(["<unk>", "<eos>", "a", "a"]).Id("a"));
    }
}
