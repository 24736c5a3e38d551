"""The leaderboard page: rendered on the server first, so it works without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse

from portal.people.models import PrivacySettings
from portal.people.privacy import MIN_GROUP

from .boards import COMPANY, SEASON_PHRASES, WINDOW_LABELS, WINDOWS, board_for_key
from .selectors import boards_visible_to, leaderboard_view, team_standings


@login_required
def leaderboard(request):
    window = request.GET.get("window", "week")
    if window not in WINDOWS:
        window = "week"
    windows = [(key, WINDOW_LABELS[key]) for key in WINDOWS]
    if not PrivacySettings.load(request_or_site=request).individual_boards:
        return TemplateResponse(
            request,
            "leaderboards/team_board.html",
            {
                "window": window,
                "windows": windows,
                "standings": team_standings(window=window, viewer=request.user),
                "min_group": MIN_GROUP,
            },
        )
    boards = boards_visible_to(request.user)
    board_key = request.GET.get("board", COMPANY)
    board = next((b for b in boards if b.key == board_key), None)
    status = 200
    if board is None:
        if board_for_key(board_key) is None:
            raise Http404("There is no such leaderboard.")
        board, status = boards[0], 403
    view = leaderboard_view(board=board.key, window=window, viewer=request.user)
    return TemplateResponse(
        request,
        "leaderboards/leaderboard.html",
        {
            "boards": boards,
            "board": board,
            "window": window,
            "windows": windows,
            "season": SEASON_PHRASES[window],
            "view": view,
            "refused": status == 403,
        },
        status=status,
    )
