using System.Text.Json;
using System.Text.Json.Serialization;

namespace Veritensor.Client;

/// <summary>Source-generated JSON for every API contract: no reflection, same shapes on server and client.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitTransactionRequest))]
[JsonSerializable(typeof(SubmitTransactionResponse))]
[JsonSerializable(typeof(TransactionStatusResponse))]
[JsonSerializable(typeof(BlockResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(SubnetListResponse))]
[JsonSerializable(typeof(SubnetResponse))]
[JsonSerializable(typeof(MetagraphResponse))]
[JsonSerializable(typeof(BlobUploadResponse))]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(ModelVersionsResponse))]
[JsonSerializable(typeof(ModelResponse))]
[JsonSerializable(typeof(NodeListResponse))]
[JsonSerializable(typeof(InferenceParametersResponse))]
[JsonSerializable(typeof(VerifierSelectionResponse))]
[JsonSerializable(typeof(VerifierCandidatesResponse))]
[JsonSerializable(typeof(DisputeQuorumResponse))]
[JsonSerializable(typeof(InferenceRecordResponse))]
[JsonSerializable(typeof(DisputeResponse))]
[JsonSerializable(typeof(EmissionResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
