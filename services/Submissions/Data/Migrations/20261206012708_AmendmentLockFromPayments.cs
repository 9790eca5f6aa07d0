using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Submissions.Api.Data.Migrations
{
    /// <summary>Whether Payments said a version's payment locks its period (intake refused amendments by status before).</summary>
    public partial class AmendmentLockFromPayments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "locks_amendments",
                table: "submissions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Versions Payments had already locked when Submissions still decided by status (approved, paid, payment-failed).
            // From here on only Payments' events set it (LocksAmendments).
            migrationBuilder.Sql("UPDATE submissions SET locks_amendments = true WHERE status IN ('approved', 'paid', 'payment-failed');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "locks_amendments",
                table: "submissions");
        }
    }
}
