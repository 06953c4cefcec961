using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Veritensor.Node.Api;

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
[JsonSerializable(typeof(EmissionResponse))]
[JsonSerializable(typeof(ProblemDetails))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
