using Google.Protobuf;
using Lab.Stages.Export.Onnx;

namespace Lab.Stages.Export;

/// <summary>
/// A small builder for ONNX graphs: initialisers from TorchSharp tensors, nodes with attributes, typed inputs and
/// outputs. Domain exporters describe their model with it; <see cref="ToModel"/> makes the self-describing file.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The opset every exported model targets.</summary>
    public const long Opset = 17;
    readonly GraphProto graph;
    readonly string prefix;
    int counter;

    /// <summary>Starts an empty graph with a name; a subgraph (a Scan or Loop body) gives its node names a prefix, since
    /// a body may not reuse a name of the graph around it.</summary>
    public OnnxGraph(string name, string prefix = "")
    {
        graph = new GraphProto { Name = name };
        this.prefix = prefix;
    }

    /// <summary>The graph as built so far: the body of a Scan or Loop node (<see cref="Attr(string, GraphProto)"/>).</summary>
    public GraphProto Body => graph;

    /// <summary>Adds a float initialiser copied from a tensor (moved to CPU, contiguous, float32).</summary>
    public string Weight(string name, Tensor t)
    {
        using var c = t.detach().to(ScalarType.Float32).cpu().contiguous();
        var data = c.data<float>().ToArray();
        var tp = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tp.Dims.AddRange(c.shape);
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        tp.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(tp);
        return name;
    }

    /// <summary>Adds an int64 initialiser (shapes, axes, indices).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tp = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tp.Dims.Add(values.Length);
        tp.Int64Data.AddRange(values);
        graph.Initializer.Add(tp);
        return name;
    }

    /// <summary>Adds a 0-D int64 initialiser (a scalar, as Range and Gather indices want).</summary>
    public string Int64Scalar(string name, long value)
    {
        var tp = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tp.Int64Data.Add(value);
        graph.Initializer.Add(tp);
        return name;
    }

    /// <summary>Adds a 0-D float initialiser.</summary>
    public string FloatScalar(string name, float value)
    {
        var tp = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tp.FloatData.Add(value);
        graph.Initializer.Add(tp);
        return name;
    }

    /// <summary>Adds a node and returns the name of its first output.</summary>
    public string Node(string op, string[] inputs, int outputs = 1, params AttributeProto[] attributes)
        => NodeOutputs(op, inputs, outputs, attributes)[0];

    /// <summary>Adds a node and returns the names of all its outputs.</summary>
    public string[] NodeOutputs(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var id = $"{prefix}{op.ToLowerInvariant()}_{counter++}";
        var node = new NodeProto { OpType = op, Name = id };
        node.Input.AddRange(inputs);
        var outs = Enumerable.Range(0, outputs).Select(k => $"{id}_out{k}").ToArray();
        node.Output.AddRange(outs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outs;
    }

    /// <summary>Renames a value to a graph output name by an Identity node.</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var node = new NodeProto { OpType = "Identity", Name = $"{prefix}identity_{counter++}" };
        node.Input.Add(value); node.Output.Add(name);
        graph.Node.Add(node);
        graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Declares a graph input; dims are longs (fixed) or strings (symbolic).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s }
                                        : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } }
        };
    }

    /// <summary>Integer attribute.</summary>
    public static AttributeProto Attr(string name, long value) => new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };
    /// <summary>Float attribute.</summary>
    public static AttributeProto Attr(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };
    /// <summary>String attribute.</summary>
    public static AttributeProto Attr(string name, string value) => new() { Name = name, S = ByteString.CopyFromUtf8(value), Type = AttributeProto.Types.AttributeType.String };
    /// <summary>Graph attribute (the body of Scan, Loop, If).</summary>
    public static AttributeProto Attr(string name, GraphProto body) => new() { Name = name, G = body, Type = AttributeProto.Types.AttributeType.Graph };
    /// <summary>Integer-list attribute.</summary>
    public static AttributeProto Attr(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>The model file: IR version 8, opset 17, producer and the given metadata.</summary>
    public ModelProto ToModel(IReadOnlyDictionary<string, string> metadata, string doc)
    {
        var model = new ModelProto
        {
            IrVersion = 8, ProducerName = "learning-curve-lab", ProducerVersion = "1", Domain = "lab.curves",
            ModelVersion = 1, DocString = doc, Graph = graph
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }
}
