using System.Linq.Expressions;

namespace Payments.Api.Domain;

internal static class ExpressionBinding
{
    /// <summary>
    /// <paramref name="rule"/> with its second parameter bound to <paramref name="value"/>'s captured variable, so EF Core sends it as a
    /// query parameter (a constant would be inlined into the SQL and compile a new query for every value).
    /// </summary>
    public static Expression<Func<T, bool>> Bind<T, TValue>(this Expression<Func<T, TValue, bool>> rule, Expression<Func<TValue>> value) =>
        Expression.Lambda<Func<T, bool>>(new Replace(rule.Parameters[1], value.Body).Visit(rule.Body), rule.Parameters[0]);

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : node;
    }
}
