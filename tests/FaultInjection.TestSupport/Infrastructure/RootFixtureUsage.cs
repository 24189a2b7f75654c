using System.Reflection;

namespace FaultInjection.TestSupport;

/// <summary>
/// The test classes of an assembly that use an <see cref="IRootFixture"/> (as a class fixture, or through the
/// collection they join) but would not skip without root: the class lacks the <c>Requires=root</c> trait, or one of its
/// tests is a plain <see cref="FactAttribute"/>/<see cref="TheoryAttribute"/>. xUnit creates a class fixture only when
/// one of the class's tests runs, so a single unskipped test makes the fixture's constructor fail as a non-root user.
/// </summary>
public static class RootFixtureUsage
{
    public static IReadOnlyList<string> FindUnskippable(Assembly tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        return FindUnskippable(tests.GetTypes());
    }

    public static IReadOnlyList<string> FindUnskippable(IReadOnlyCollection<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var rootCollections = types
            .Where(t => FixturesOf(t, typeof(ICollectionFixture<>)).Any(IsRootFixture))
            .Select(t => NameOf(t, typeof(CollectionDefinitionAttribute)))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var type in types.Where(t => t.IsClass && !t.IsAbstract))
        {
            var usesRootFixture = FixturesOf(type, typeof(IClassFixture<>)).Any(IsRootFixture)
                || (NameOf(type, typeof(CollectionAttribute)) is { } collection && rootCollections.Contains(collection));
            if (!usesRootFixture)
            {
                continue;
            }

            if (!type.GetCustomAttributesData().Any(IsRootTrait))
            {
                problems.Add($"{type.FullName}: uses a root fixture but has no [Trait(\"{RootRequirement.TraitName}\", \"{RootRequirement.TraitValue}\")]");
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var fact = method.GetCustomAttribute<FactAttribute>();
                if (fact is not null && fact is not RootFactAttribute && fact is not RootTheoryAttribute)
                {
                    problems.Add($"{type.FullName}.{method.Name}: a [{fact.GetType().Name.Replace("Attribute", string.Empty, StringComparison.Ordinal)}] in a class with a root fixture (use [RootFact]/[RootTheory])");
                }
            }
        }

        return problems;
    }

    private static IEnumerable<Type> FixturesOf(Type type, Type fixtureInterface) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == fixtureInterface)
            .Select(i => i.GetGenericArguments()[0]);

    private static bool IsRootFixture(Type fixture) => typeof(IRootFixture).IsAssignableFrom(fixture);

    /// <summary>The collection name given to [Collection(name)] or [CollectionDefinition(name)] (xUnit keeps it only as the constructor's argument).</summary>
    private static string? NameOf(Type type, Type attributeType) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType == attributeType && a.ConstructorArguments.Count >= 1)
            .Select(a => a.ConstructorArguments[0].Value as string)
            .FirstOrDefault();

    private static bool IsRootTrait(CustomAttributeData attribute) =>
        attribute.AttributeType == typeof(TraitAttribute)
        && attribute.ConstructorArguments.Count == 2
        && (string?)attribute.ConstructorArguments[0].Value == RootRequirement.TraitName
        && (string?)attribute.ConstructorArguments[1].Value == RootRequirement.TraitValue;
}
