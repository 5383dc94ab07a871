using LanguageExt;
namespace Lab.Stages.Search;

/// <summary>What the study needs of a domain's preset record: its presets by name and how it is searched.</summary>
/// <typeparam name="TSelf">The preset record itself.</typeparam>
public interface IPreset<TSelf> where TSelf : IPreset<TSelf>
{
    /// <summary>How the study searches this preset's space.</summary>
    SearchSettings Search { get; }

    /// <summary>The preset of a name, if there is one.</summary>
    static abstract Option<TSelf> Named(string name);
}
