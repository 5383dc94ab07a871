namespace Lab.Stages.Export;

/// <summary>A module that can write itself into an ONNX graph: given the name of its input value, returns its output.</summary>
public interface IOnnxExportable
{
    /// <summary>Adds this module's nodes (in inference form) and returns the output value's name.</summary>
    string Export(OnnxGraph g, string input, string prefix);
}
