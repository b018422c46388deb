// Scores a quiz when JavaScript is on; without it every answer is in its <details>.
document.querySelectorAll("[data-quiz]").forEach(function (quiz) {
  var scoring = quiz.querySelector(".quiz__scoring");
  var button = quiz.querySelector("[data-quiz-score]");
  var result = quiz.querySelector(".quiz__result");
  if (!scoring || !button || !result) return;
  scoring.hidden = false;
  button.addEventListener("click", function () {
    var questions = quiz.querySelectorAll("fieldset[data-answer]");
    var correct = 0, answered = 0;
    questions.forEach(function (question) {
      var chosen = question.querySelector("input[type=radio]:checked");
      question.classList.remove("quiz__question--right", "quiz__question--wrong");
      if (!chosen) return;
      answered += 1;
      var right = chosen.value === question.dataset.answer;
      if (right) correct += 1;
      question.classList.add(right ? "quiz__question--right" : "quiz__question--wrong");
      question.querySelector("details").open = true;
    });
    result.textContent = answered < questions.length
      ? "未回答の問題があります（" + answered + "／" + questions.length + "問回答）。"
      : questions.length + "問中" + correct + "問正解です。";
  });
});
