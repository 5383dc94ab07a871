namespace Lab.Stages.Search;

/// <summary>What the study needs of a domain's preset record: how its space is searched. A domain's runner names its
/// presets (a lookup by name, usually the record's static <c>Named</c>); two domains may share one preset record.</summary>
public interface IPreset
{
    /// <summary>How the study searches this preset's space.</summary>
    SearchSettings Search { get; }
}
