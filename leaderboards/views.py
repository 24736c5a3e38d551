"""The leaderboard page: rendered on the server first, so it works without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse

from .boards import COMPANY, WINDOW_LABELS, WINDOWS, board_for_key
from .selectors import boards_visible_to, leaderboard_view


@login_required
def leaderboard(request):
    boards = boards_visible_to(request.user)
    board_key = request.GET.get("board", COMPANY)
    window = request.GET.get("window", "week")
    if window not in WINDOWS:
        window = "week"
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
            "windows": [(key, WINDOW_LABELS[key]) for key in WINDOWS],
            "view": view,
            "refused": status == 403,
        },
        status=status,
    )
