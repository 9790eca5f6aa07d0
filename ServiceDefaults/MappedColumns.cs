using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.ServiceDefaults;

/// <summary>
/// The columns an entity's table maps (with the JSON columns of the types it owns), quoted and comma-separated, for raw SQL that EF Core materialises
/// (<c>FromSql</c>). Statements are prepared on the server (<c>Max Auto Prepare</c>), and PostgreSQL refuses a prepared
/// <c>SELECT *</c> once a migration has added a column ("cached plan must not change result type"); one that names its
/// columns keeps working while replicas of the old and the new version run side by side.
/// </summary>
public static class MappedColumns
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, string>> Cache = new();

    public static string Of<TEntity>(DbContext db) =>
        Cache.GetValue(db.Model, _ => new()).GetOrAdd(typeof(TEntity), _ => Build(db.Model, typeof(TEntity), db.GetService<ISqlGenerationHelper>()));

    private static string Build(IModel model, Type type, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // An owned type stored as JSON has no properties of the owner's: its column is the navigation's container column.
        var jsonColumns = entity.GetNavigations()
            .Where(navigation => navigation.ForeignKey.IsOwnership && navigation.TargetEntityType.IsMappedToJson())
            .Select(navigation => navigation.TargetEntityType.GetContainerColumnName()!);
        return string.Join(", ", entity.GetProperties().Select(property => property.GetColumnName(table)!).Concat(jsonColumns).Select(sql.DelimitIdentifier));
    }
}
