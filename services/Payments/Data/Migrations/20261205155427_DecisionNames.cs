using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class DecisionNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "decided_by_name",
                table: "payments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "decided_by_name",
                table: "payments");
        }
    }
}
