using Veritensor.Inference.Conformance;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

/// <summary>
/// Runs every ONNX node test case (opset ≥ 7, ORT's supported range) through <see cref="OnnxExecutor"/> and
/// compares with the golden outputs under the ONNX backend runner's rule |a − b| ≤ 1e-7 + 1e-3·|expected|.
/// </summary>
[UnitTest]
public class ConformanceTests
{
    private const int MinimumPassing = 600;

    [Fact]
    public void Onnx_node_test_cases_match_their_golden_outputs()
    {
        var suite = TestData.RequireOnnxNodeSuite();
        var tolerance = VerificationTolerance.FromDoubles(
            OnnxTestCase.BackendAbsoluteTolerance,
            OnnxTestCase.BackendRelativeTolerance,
            0
        );
        var passed = new List<string>();
        var excluded = new List<string>();
        var refused = new List<string>();
        var failures = new List<string>();
        using var executor = new OnnxExecutor();
        foreach (var testCase in OnnxTestCase.Discover(suite).Where(c => c.Opset >= 7))
        {
            var reason = ConformanceExclusions.Reason(testCase.Name);
            var failure = Run(executor, testCase, tolerance, out var nonTensor, out var byPolicy);
            if (byPolicy)
                refused.Add($"{testCase.Name}: {failure}");
            else if (reason is not null || nonTensor)
                excluded.Add(testCase.Name);
            else if (failure is null)
                passed.Add(testCase.Name);
            else
                failures.Add($"{testCase.Name}: {failure}");
        }
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} cases failed (passed {passed.Count}, excluded {excluded.Count}):\n"
                + string.Join("\n", failures)
        );
        Assert.True(
            passed.Count >= MinimumPassing,
            $"only {passed.Count} cases passed; expected at least {MinimumPassing}"
        );
        // The model policy refuses only what it names (Loop, allocation sized by data), never a case for another reason.
        Assert.All(refused, r =>
            Assert.True(
                r.Contains("Loop runs", StringComparison.Ordinal)
                    || r.Contains("must be a constant of the model", StringComparison.Ordinal),
                r
            )
        );
        Assert.InRange(refused.Count, 1, 120);
        TestContext.Current.SendDiagnosticMessage(
            $"ONNX conformance: {passed.Count} passed, {excluded.Count} excluded, {refused.Count} refused by the model policy"
        );
    }

    private static string? Run(
        OnnxExecutor executor,
        OnnxTestCase testCase,
        VerificationTolerance tolerance,
        out bool nonTensor,
        out bool byPolicy
    )
    {
        nonTensor = false;
        byPolicy = false;
        try
        {
            var id = executor.LoadFile(testCase.ModelPath);
            var signature = executor.Signature(id);
            var inputs = testCase.LoadInputs(signature);
            var expected = testCase.LoadExpectedOutputs(signature);
            var actual = executor.Run(id, inputs);
            var result = OutputComparer.Compare(expected, actual, tolerance, sameProfile: false);
            return result.Match ? null : result.FirstMismatch;
        }
        catch (ModelLoadException e) when (e.Message.Contains("only tensors are supported", StringComparison.Ordinal))
        {
            nonTensor = true;
            return e.Message;
        }
        catch (ModelLoadException e) when (e.RefusedByPolicy)
        {
            byPolicy = true;
            return e.Message;
        }
        catch (TensorFormatException e) when (e.Message.Contains("not an ONNX TensorProto", StringComparison.Ordinal))
        {
            // Sequence and optional test data are SequenceProto/OptionalProto files, which do not parse as tensors.
            nonTensor = true;
            return e.Message;
        }
        catch (Exception e)
            when (e
                    is ModelLoadException
                        or InputValidationException
                        or InferenceException
                        or TensorFormatException
                        or ArgumentException
            )
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
