using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StatisticsSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TransitionEvents_Workflow_To_At",
                table: "TransitionEvents");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MunicipalityId_OpenedAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId",
                table: "TransitionEvents",
                columns: new[] { "Workflow", "To", "At", "CaseId", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MunicipalityId_OpenedAt_Id",
                table: "Cases",
                columns: new[] { "MunicipalityId", "OpenedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId",
                table: "TransitionEvents");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MunicipalityId_OpenedAt_Id",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_TransitionEvents_Workflow_To_At",
                table: "TransitionEvents",
                columns: new[] { "Workflow", "To", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MunicipalityId_OpenedAt",
                table: "Cases",
                columns: new[] { "MunicipalityId", "OpenedAt" });
        }
    }
}
