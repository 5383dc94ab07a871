namespace Lab.Pipeline.Domains;

/// <summary>The domains the pipeline knows.</summary>
public static class DomainRegistry
{
    static Seq<IDomainRunner> all = Seq<IDomainRunner>(new Lm.LmRunner(), new CharLm.CharLmRunner(), new Image.ImageRunner(), new Nmt.NmtRunner(), new Speech.SpeechRunner());
    static readonly object gate = new();

    /// <summary>Every domain, in the order of the help text.</summary>
    public static Seq<IDomainRunner> All => all;

    /// <summary>Adds a domain from outside this assembly (a plug-in, or a test's domain); a name already known is kept
    /// as it is.</summary>
    public static void Register(IDomainRunner runner)
    {
        lock (gate)
            if (all.ForAll(d => !d.Name.Equals(runner.Name, StringComparison.OrdinalIgnoreCase))) all = all.Add(runner);
    }

    /// <summary>Names, for help texts.</summary>
    public static string Names => string.Join(", ", All.Map(d => d.Name));

    /// <summary>The runner of a domain, or a problem listing the known ones.</summary>
    public static Either<Problem, IDomainRunner> Find(string name)
        => All.Find(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
              .ToEither(new Problem($"unknown domain '{name}'", $"choose one of: {Names}"));
}
