using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Samples;

/// <summary>
/// One verified request, as a client writes it: run the devnet's demo model in full mode, let the SDK check the answer
/// against the ledger (the executor's signature, the verifiers the ledger drew, their attestations), then wait until the
/// ledger records it final.
/// </summary>
internal static class SampleRun
{
    public const string Model = "demo-mlp@1";

    public static async Task<VerifiedInference> RunAsync(
        Uri gateway,
        Uri node,
        KeyPair user,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        using var client = InferenceClient.Create(gateway, node);
        var input = new NamedTensor(
            "features",
            Tensor.FromFloats([1, 8], [0.5f, -1.25f, 2f, 0.75f, -0.5f, 1.5f, -2f, 0.25f])
        );
        var result = await client.InferAsync(
            user,
            Model,
            [input],
            new InferenceOptions { Mode = VerificationMode.Full },
            cancellationToken
        );
        output.WriteLine($"request   {result.RequestId}");
        output.WriteLine($"state     {result.State} (checked against the ledger by the SDK)");
        output.WriteLine($"executor  {result.Receipt.Executor}");
        foreach (var attestation in result.Attestations)
            output.WriteLine($"verifier  {attestation.Verifier}: {attestation.Verdict}");
        output.WriteLine($"fee       {result.Fee}");
        var logits = result.Outputs[0].Tensor;
        output.WriteLine(
            $"output    {result.Outputs[0].Name} {logits}: {string.Join(", ", Enumerable.Range(0, (int)logits.ElementCount).Select(i => logits.FormatElement(i)))}"
        );
        var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(60), cancellationToken);
        output.WriteLine(
            $"ledger    {final.State}{(final.Ledger?.BlockHeight is { } height ? " in block " + height : "")}"
        );
        return result;
    }
}
