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
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public void Add(string field, string description)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(description);
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw ToProblem();
        }
    }

    public ApiProblemException ToProblem() => new(
        StatusCodes.Status400BadRequest,
        "Invalid request",
        string.Join(" ", _errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}.")) + " Nothing was done.",
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
