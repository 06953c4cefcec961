using System.Text.Json;
using System.Text.Json.Serialization;
using Veritensor.Client;

namespace Veritensor.Node.Roles;

// The parts of the role servers' request bodies that are read before any tensor (JsonBody): what names the signer and
// the dispatcher. Each is a subset of a wire contract in Veritensor.Client, so the same JSON carries both.

/// <summary>POST /v1/inference without its inputs: the model, the user's authorisation, mode and record.</summary>
internal sealed record InferenceHead(
    string? Model,
    InferenceAuthorization? Authorization,
    string? Mode = null,
    string? Record = null
);

/// <summary>POST /v1/execute without its inputs: the user's signed request and the gateway's dispatch.</summary>
internal sealed record ExecuteHead(string? Request, string? Dispatch = null);

/// <summary>POST /v1/verify/commit without its inputs: the request, the executor and the gateway's ticket and dispatch.</summary>
internal sealed record CommitHead(
    string? Request,
    string? Executor = null,
    string? DrawTicket = null,
    string? Dispatch = null
);

/// <summary>The tensors of a body, read once its signatures hold.</summary>
internal sealed record InputsPart(IReadOnlyList<WireTensor>? Inputs);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InferenceHead))]
[JsonSerializable(typeof(ExecuteHead))]
[JsonSerializable(typeof(CommitHead))]
[JsonSerializable(typeof(InputsPart))]
internal sealed partial class BodyPartsJsonContext : JsonSerializerContext;
