using Google.Protobuf;
using Onnx;

namespace Veritensor.Inference.Models;

/// <summary>
/// What a node refuses to load from a model it did not write, checked on the protobuf before ONNX Runtime sees it:
/// <list type="bullet">
/// <item>External data anywhere (initializers, sparse initializers, attribute tensors, subgraphs, functions): ORT would
/// read the named file from the node's disk and a model could return the node's keys as outputs.</item>
/// <item><c>Loop</c>: its trip count and condition come from data, so one request could pin a core for good.</item>
/// <item>An allocating operator (<c>ConstantOfShape</c>, <c>Expand</c>, <c>Tile</c>, <c>Range</c>, <c>Pad</c>,
/// <c>OneHot</c>, <c>Resize</c>, <c>Upsample</c>) whose size input is not a constant of the model: a caller could make
/// it allocate any amount of memory.</item>
/// <item>Graphs nested deeper than <see cref="MaxDepth"/> or with more than <see cref="MaxNodes"/> nodes.</item>
/// </list>
/// The check is structural (it runs nothing), so it is cheap enough for every load and every publish.
/// </summary>
public static class ModelPolicy
{
    public const int MaxDepth = 16;
    public const int MaxNodes = 100_000;

    /// <summary>For each allocating operator, the inputs whose values set how much it allocates.</summary>
    private static readonly Dictionary<string, int[]> SizeInputs = new(StringComparer.Ordinal)
    {
        ["ConstantOfShape"] = [0],
        ["Expand"] = [1],
        ["Tile"] = [1],
        ["Range"] = [0, 1, 2],
        ["Pad"] = [1],
        ["OneHot"] = [1],
        ["Resize"] = [2, 3],
        ["Upsample"] = [1],
    };

    /// <summary>Throws <see cref="ModelLoadException"/> naming the first thing <paramref name="modelBytes"/> may not do.</summary>
    public static void Check(byte[] modelBytes, string source)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(modelBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException($"{source} is not a loadable ONNX model: {e.Message}", e);
        }
        var walk = new Walk(source);
        if (model.Graph is { } graph)
            walk.Graph(graph, "graph", 0);
        foreach (var function in model.Functions)
            walk.Nodes(function.Node, new HashSet<string>(), $"function '{function.Name}'", 0);
    }

    private sealed class Walk(string source)
    {
        private int _nodes;

        public void Graph(GraphProto graph, string where, int depth)
        {
            if (depth > MaxDepth)
                throw Refuse($"{where} nests subgraphs more than {MaxDepth} deep");
            foreach (var tensor in graph.Initializer)
                Tensor(tensor, $"{where}: initializer '{tensor.Name}'");
            foreach (var sparse in graph.SparseInitializer)
                Sparse(sparse, $"{where}: sparse initializer '{sparse.Values?.Name}'");
            var constants = graph
                .Initializer.Select(t => t.Name)
                .Concat(graph.SparseInitializer.Select(s => s.Values?.Name ?? ""))
                .Concat(graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Output))
                .ToHashSet(StringComparer.Ordinal);
            Nodes(graph.Node, constants, where, depth);
        }

        public void Nodes(IEnumerable<NodeProto> nodes, IReadOnlySet<string> constants, string where, int depth)
        {
            foreach (var node in nodes)
            {
                if (++_nodes > MaxNodes)
                    throw Refuse($"it has more than {MaxNodes} nodes");
                var name = $"{where}: node '{node.Name}' ({node.OpType})";
                if (node.OpType == "Loop")
                    throw Refuse($"{name}: Loop runs for as long as its data says; it is not allowed");
                if (SizeInputs.TryGetValue(node.OpType, out var sizeInputs))
                {
                    foreach (var index in sizeInputs)
                    {
                        if (
                            index < node.Input.Count
                            && node.Input[index].Length > 0
                            && !constants.Contains(node.Input[index])
                        )
                            throw Refuse(
                                $"{name}: input {index} ('{node.Input[index]}') sets how much it allocates and must be a constant of the model"
                            );
                    }
                }
                foreach (var attribute in node.Attribute)
                    Attribute(attribute, $"{name} attribute '{attribute.Name}'", depth);
            }
        }

        private void Attribute(AttributeProto attribute, string where, int depth)
        {
            if (attribute.T is { } t)
                Tensor(t, where);
            foreach (var tensor in attribute.Tensors)
                Tensor(tensor, where);
            if (attribute.SparseTensor is { } sparse)
                Sparse(sparse, where);
            foreach (var s in attribute.SparseTensors)
                Sparse(s, where);
            if (attribute.G is { } g)
                Graph(g, $"{where} subgraph", depth + 1);
            foreach (var graph in attribute.Graphs)
                Graph(graph, $"{where} subgraph", depth + 1);
        }

        private void Sparse(SparseTensorProto sparse, string where)
        {
            if (sparse.Values is { } values)
                Tensor(values, where);
            if (sparse.Indices is { } indices)
                Tensor(indices, where);
        }

        private void Tensor(TensorProto tensor, string where)
        {
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
                throw Refuse(
                    $"{where} keeps its data in an external file ({ExternalLocation(tensor)}); a model must carry all its data"
                );
        }

        private static string ExternalLocation(TensorProto tensor) =>
            tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value is { } location
                ? $"location '{location}'"
                : "no location";

        private ModelLoadException Refuse(string reason) =>
            new($"{source} is refused: {reason}") { RefusedByPolicy = true };
    }
}
