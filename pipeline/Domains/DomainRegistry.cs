using Lab.Stages.Core;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Pipeline.Domains;

/// <summary>The domains the pipeline knows.</summary>
public static class DomainRegistry
{
    /// <summary>Every domain, in the order of the help text.</summary>
    public static readonly Seq<IDomainRunner> All = Seq<IDomainRunner>(new Lm.LmRunner(), new Image.ImageRunner(), new Nmt.NmtRunner(), new Speech.SpeechRunner());

    /// <summary>Names, for help texts.</summary>
    public static string Names => string.Join(", ", All.Map(d => d.Name));

    /// <summary>The runner of a domain, or a problem listing the known ones.</summary>
    public static Either<Problem, IDomainRunner> Find(string name)
        => All.Find(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
              .ToEither(new Problem($"unknown domain '{name}'", $"choose one of: {Names}"));
}
