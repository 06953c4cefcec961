using System.Reflection;
using Veritensor.Sdk;

namespace Veritensor.Node.Tests;

/// <summary>A client ships without the server: the SDK's whole assembly graph holds no ASP.NET Core, SQLite or ONNX Runtime.</summary>
[UnitTest]
public sealed class SdkDependencyTests
{
    private static readonly string[] ServerOnly =
    [
        "Microsoft.AspNetCore",
        "Microsoft.Data.Sqlite",
        "SQLitePCLRaw",
        "Microsoft.ML.OnnxRuntime",
        "Veritensor.Node",
        "Veritensor.Inference",
        "Veritensor.Ledger.Sqlite",
    ];

    [Fact]
    public void The_sdk_references_no_server_storage_or_runtime_assembly_directly_or_transitively()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([typeof(InferenceClient).Assembly.GetName()]);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!seen.Add(name.Name!) || IsFramework(name.Name!))
                continue;
            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies())
                pending.Push(reference);
        }
        Assert.Contains("Veritensor.Client", seen);
        Assert.Contains("Veritensor.Tensors", seen);
        Assert.DoesNotContain(seen, n => ServerOnly.Any(s => n.StartsWith(s, StringComparison.Ordinal)));
    }

    // The shared framework (System.*, Microsoft.Win32.*, netstandard) is on every machine; only what the SDK brings counts.
    private static bool IsFramework(string name) =>
        name.StartsWith("System", StringComparison.Ordinal)
        || name is "netstandard" or "mscorlib"
        || name.StartsWith("Microsoft.Win32", StringComparison.Ordinal);
}
