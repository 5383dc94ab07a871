using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Domains.Speech;

/// <summary>One synthetic speaker: an engine and its voice name ("espeak-ng" voices are accent+variant).</summary>
/// <param name="Engine">espeak-ng, flite or festival.</param>
/// <param name="Name">The engine's voice name: "en-us+m3", "slt", "kal_diphone".</param>
/// <param name="HeldOut">Never speaks a training utterance (validation and test only).</param>
public sealed record Voice(string Engine, string Name, bool HeldOut)
{
    /// <summary>engine:name, as written in the manifest.</summary>
    public string Id => $"{Engine}:{Name}";

    /// <summary>The Debian package of each engine, for the error when it is missing.</summary>
    public static readonly Map<string, string> Packages = Map(
        ("espeak-ng", "espeak-ng"), ("flite", "flite"),
        ("festival", "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts"));

    static readonly string[] EspeakAccents = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];
    static readonly string[] EspeakVariants =
        ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "Alex", "Andy", "Annie", "belinda", "boris", "david",
         "Diogo", "ed", "Gene", "Henrique", "Hugo", "Jacky", "john", "Lee", "linda", "Mario", "max", "Michael", "Mike", "paul", "pedro",
         "quincy", "rob", "robert", "steph", "Storm", "zac", "anika", "grandma", "grandpa", "klatt", "klatt2", "norbert", "sandro", "shelby", "travis", "victor"];

    /// <summary>
    /// Every voice of the engines given: espeak-ng (8 English accents × 49 variants), flite (kal16, awb, rms, slt),
    /// festival (kal_diphone, ked_diphone, cmu_us_slt_arctic_hts). Held out: every espeak-ng voice of the Caribbean
    /// accent (en-029), every espeak-ng voice of the variants Andy, linda and klatt2, and flite's rms — so validation
    /// and test hear an unseen accent, unseen formant settings and an unseen recorded speaker.
    /// </summary>
    public static Seq<Voice> Inventory(IEnumerable<string> engines)
    {
        var wanted = engines.ToHashSet();
        var voices = new List<Voice>();
        if (wanted.Contains("espeak-ng"))
            foreach (var a in EspeakAccents)
                foreach (var v in EspeakVariants)
                    voices.Add(new Voice("espeak-ng", $"{a}+{v}", a == "en-029" || v is "Andy" or "linda" or "klatt2"));
        if (wanted.Contains("flite"))
            foreach (var v in new[] { "kal16", "awb", "rms", "slt" }) voices.Add(new Voice("flite", v, v == "rms"));
        if (wanted.Contains("festival"))
            foreach (var v in new[] { "kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts" }) voices.Add(new Voice("festival", v, false));
        return voices.ToSeq();
    }
}
