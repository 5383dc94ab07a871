namespace Lab.Stages.Search;

/// <summary>What the study needs of a domain's model spec: its canonical name (part of the trial id) and its family
/// (the search walks each family's size ladder on its own).</summary>
public interface IModelSpec
{
    /// <summary>Canonical name, part of the trial id.</summary>
    string Name { get; }
    /// <summary>The model family (--arch).</summary>
    string Arch { get; }
}
