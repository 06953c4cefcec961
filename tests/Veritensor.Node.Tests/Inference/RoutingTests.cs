using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles;
using Veritensor.Node.Roles.Execution;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>The gateway retries another inference node when the one it picked fails or does not answer in time.</summary>
[NetworkTest]
public sealed class RoutingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_or_silent_inference_node_is_skipped_for_another(bool silent)
    {
        var ct = TestContext.Current.CancellationToken;
        // With equal stake and no history the router breaks ties on the hotkey's text, so the node whose hotkey sorts
        // first is tried first: make exactly that one broken.
        var first = new[] { "inference-0", "inference-1" }
            .OrderBy(
                w =>
                {
                    using var key = DevnetSetup.HotkeyOf(w);
                    return key.Address.ToString();
                },
                StringComparer.Ordinal
            )
            .First();
        var broken = new BrokenRunner(silent);
        await using var network = await InferenceNetwork.StartAsync(
            (node, options) =>
            {
                if (node.Role == ServerRole.Gateway)
                    options.ExecutorTimeoutMs = 500;
            },
            (node, services) =>
            {
                if (node.Name == first)
                    services.AddSingleton<IModelRunner>(broken);
            }
        );
        using var client = network.Client();
        using var user = network.User("alice");

        var result = await client.InferAsync(
            user,
            DevnetInference.DemoModelName,
            [DevnetInference.DemoInput()],
            new InferenceOptions { Mode = VerificationMode.None },
            ct
        );

        Assert.Equal(1, broken.Calls);
        using var firstKey = DevnetSetup.HotkeyOf(first);
        Assert.NotEqual(firstKey.Address, result.Receipt.Executor);
        Assert.Equal(InferenceStates.Returned, result.State);

        // The failed node now goes last, so the next request does not wait on it again.
        await client.InferAsync(
            user,
            DevnetInference.DemoModelName,
            [DevnetInference.DemoInput()],
            new InferenceOptions { Mode = VerificationMode.None },
            ct
        );
        Assert.Equal(1, broken.Calls);
    }

    /// <summary>An inference node's runner that throws, or never answers (until the request is cancelled).</summary>
    private sealed class BrokenRunner(bool silent) : IModelRunner
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Hash256 ProfileHash { get; } = Hash256.Compute("broken"u8);

        public async Task<IReadOnlyList<NamedTensor>> RunAsync(
            LedgerModel model,
            IReadOnlyList<NamedTensor> inputs,
            CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref _calls);
            if (!silent)
                throw new InvalidOperationException("this node's runtime is broken");
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new OperationCanceledException();
        }
    }
}
