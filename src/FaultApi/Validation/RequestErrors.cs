using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Validation;

/// <summary>
/// The field errors of one request, collected by <see cref="ApiInputRules"/> so that every bad field is named at once;
/// <see cref="ThrowIfAny"/> turns them into one 400 problem with an <c>errors</c> map (field → descriptions). A
/// description never repeats the value it refuses.
/// </summary>
public sealed class RequestErrors
{
    // Made at the first error: a valid request (nearly every one) allocates nothing here.
    private Dictionary<string, List<string>>? _errors;

    public int Count => _errors?.Count ?? 0;

    public void Add(string field, string description)
    {
        _errors ??= new(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(description);
    }

    public void ThrowIfAny()
    {
        if (_errors is { Count: > 0 })
        {
            throw ToProblem();
        }
    }

    public ApiProblemException ToProblem()
    {
        var errors = _errors ?? new(StringComparer.Ordinal);
        return new(
            StatusCodes.Status400BadRequest,
            "Invalid request",
            string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}.")) + " Nothing was done.",
            errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}
