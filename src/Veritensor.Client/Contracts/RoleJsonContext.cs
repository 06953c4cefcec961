using System.Text.Json;
using System.Text.Json.Serialization;

namespace Veritensor.Client;

/// <summary>Source-generated JSON for the role servers' contracts (gateway, inference node, verification node).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InferenceApiRequest))]
[JsonSerializable(typeof(InferenceApiResponse))]
[JsonSerializable(typeof(ExecuteRequest))]
[JsonSerializable(typeof(ExecuteResponse))]
[JsonSerializable(typeof(CommitRequest))]
[JsonSerializable(typeof(CommitResponse))]
[JsonSerializable(typeof(AttestRequest))]
[JsonSerializable(typeof(AttestResponse))]
[JsonSerializable(typeof(JudgeRequest))]
[JsonSerializable(typeof(RoleHealthResponse))]
public sealed partial class RoleJsonContext : JsonSerializerContext;
