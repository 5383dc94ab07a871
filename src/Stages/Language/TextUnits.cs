namespace Lab.Stages.Language;

/// <summary>
/// How a text domain cuts documents into units (words, characters): the rules' version (in every fingerprint and model
/// file, so re-evaluation can refuse other rules), a document's examples (each at most a given number of units), and how
/// often a unit must occur in the training split to get an id of its own.
/// </summary>
/// <param name="Version">Changes whenever the rules change.</param>
/// <param name="Examples">A document's examples, each an array of units, at most the given count long.</param>
/// <param name="MinCount">Occurrences a unit needs for its own id (rarer units read as &lt;unk&gt;).</param>
/// <param name="Name">What one unit is ("word", "character"), for model metadata.</param>
/// <param name="Counted">What a count of units is called ("tokens", "characters"): the shards' size unit and messages.</param>
public sealed record TextUnits(string Version, Func<string, int, IEnumerable<string[]>> Examples, int MinCount, string Name, string Counted);
